"""Two installs of one commit get the same packages, and the image keeps the desk's data.

CI, README and the Dockerfile install with `-c constraints.txt`; these tests keep that file
complete and the Dockerfile's promises (pinned base, data on a volume, no secrets) true.
"""

from __future__ import annotations

import re
import tomllib

from tests.shared_data import REPO


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    lines = (REPO / "constraints.txt").read_text().splitlines()
    pairs = [line.split("==") for line in lines if line and not line.startswith("#")]
    assert all(len(pair) == 2 for pair in pairs), "every constraint is an exact pin"
    return {_normal(name): version for name, version in pairs}


def _declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    requirements = project["dependencies"] + [r for extra in extras.values() for r in extra]
    names = [_normal(re.split(r"[\[<>=!~; ]", requirement)[0]) for requirement in requirements]
    return [name for name in names if name != _normal(project["name"])]  # dev names the others


def test_every_declared_dependency_has_an_exact_version_in_constraints() -> None:
    pins = _pins()
    missing = [name for name in _declared() if name not in pins]
    assert not missing, "run: bash scripts/update_constraints.sh"


def test_link_fetching_does_not_depend_on_how_new_pip_is() -> None:
    # trafilatura's lxml[html_clean] extra is skipped by pip < 24; declared directly it is not.
    assert "lxml-html-clean" in _declared()
    assert "lxml-html-clean" in _pins()


def test_ci_installs_with_the_pip_a_fresh_venv_bundles() -> None:
    # README's commands make a venv and never upgrade its pip; CI must fail where they would.
    ci = (REPO / ".ci/run").read_text()
    assert re.search(r"-m venv ", ci)
    assert not re.search(r"pip install [^\n]*(?:-U|--upgrade)[^\n]*\bpip\b", ci)
    readme = (REPO / "README.md").read_text()
    assert "python3 -m venv .venv && .venv/bin/pip install -c constraints.txt" in readme


def test_readme_ci_and_dockerfile_all_install_with_the_constraints() -> None:
    for name in ("README.md", ".ci/run", "Dockerfile"):
        text = (REPO / name).read_text()
        pinned = re.search(r"pip install (?:--quiet )?(?:-c|--constraint) constraints\.txt", text)
        assert pinned, name


def test_the_image_is_pinned_keeps_its_database_on_a_volume_and_no_secrets() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", dockerfile, flags=re.M)
    assert base
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", base[1])
    database = re.search(r"DATABASE_URL=sqlite:///(/\S+)/factcheck\.db", dockerfile)
    assert database
    assert f'VOLUME ["{database[1]}"]' in dockerfile
    assert "org.opencontainers.image.title" in dockerfile
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored
    assert "*.db" in ignored
    assert ".git" in ignored
