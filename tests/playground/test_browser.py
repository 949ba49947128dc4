"""The desk in a real headless Chromium: paste, claim, verify, remind, Home, digest.

Uses the system's Chromium (Debian's `chromium`, which `.ci/run` installs) through Playwright,
with no browser download. Screenshots of each step are saved as test artifacts; the folder is
printed (FACTCHECK_TEST_ARTIFACTS chooses it, else pytest's tmp dir).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.command_grammar import HELP_TITLE
from bot.desk.submissions import ERROR_NO_SOURCE
from bot.localslack.web_api import ALICE, BOB, CAROL, DESK
from bot.render import ids
from bot.render.cards import BUTTON_CLAIM, BUTTON_VERIFY
from bot.render.digest import DIGEST_TITLE, OVERDUE_TITLE
from bot.render.home import HOME_MINE, HOME_QUEUE
from bot.render.modals import SUBMIT_VERIFY
from bot.render.reminders import SNOOZE_HOUR_LABEL
from tests.playground.conftest import ARTICLE, SAMPLE, XSS, Running

NO_BROWSER = (
    "no headless browser: install Debian's chromium (`apt-get install -y chromium`, as .ci/run "
    "does) and the dev extra's playwright; or set FACTCHECK_CHROMIUM to a Chromium binary"
)
#: Generous for a loaded machine; each step normally takes well under a second.
STEP_MS = 20_000


def chromium() -> str | None:
    """The system Chromium, if there is one."""
    named = os.environ.get("FACTCHECK_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(NO_BROWSER)
    executable = chromium()
    if executable is None:
        pytest.skip(NO_BROWSER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.set_default_timeout(STEP_MS)
            yield page
        finally:
            browser.close()


@pytest.fixture
def artifacts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = Path(os.environ.get("FACTCHECK_TEST_ARTIFACTS") or tmp_path) / "playground"
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\nplayground screenshots: {folder}")
    return folder


def card(page: Any, ticket_id: int, part: str) -> Any:
    return page.locator(f"#pane [data-block-id='{ids.ticket_block_id(ticket_id, part)}']")


def test_the_whole_desk_in_a_browser(running: Running, browser_page: Any, artifacts: Path) -> None:
    from playwright.sync_api import expect

    page = browser_page
    dialogs: list[str] = []

    def refuse(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{name}.png"))

    def act_as(user: str) -> None:
        page.click(f"[data-person='{user}']")
        expect(page.locator(f"[data-person='{user}']")).to_have_attribute("aria-pressed", "true")

    page.goto(running.url)
    act_as(CAROL)
    page.click("#sample")
    expect(page.locator("#message")).to_have_value(SAMPLE)
    page.fill("#message", ARTICLE)
    page.click(".send")
    expect(card(page, 2, "card")).to_be_visible()
    for markup in XSS:
        expect(page.locator("#pane")).to_contain_text(markup)
    shot("1-thread-with-cards")

    act_as(ALICE)
    for ticket_id in (1, 2):
        card(page, ticket_id, "actions").get_by_role("button", name=BUTTON_CLAIM).click()
        expect(card(page, ticket_id, "status")).to_contain_text("Claimed by @Alice Checker")
    shot("2-claimed")

    # A claimed card offers what its holder does next as buttons: Verify, Flag.
    card(page, 1, "actions").get_by_role("button", name=BUTTON_VERIFY).click()
    expect(page.locator("#modal-submit")).to_have_text(SUBMIT_VERIFY)
    page.click("#modal-submit")
    expect(page.locator(f"[data-error-for='{ids.BLOCK_SOURCES}']")).to_have_text(ERROR_NO_SOURCE)
    shot("3-verify-error")
    page.fill(f"[data-block-id='{ids.BLOCK_SOURCES}'] textarea", "https://port.example.org/ferries")
    page.click("#modal-submit")
    expect(page.locator("#modal-root")).to_be_hidden()
    expect(card(page, 1, "status")).to_contain_text("Verified by @Alice Checker")
    expect(card(page, 1, "actions")).to_have_count(0)
    shot("4-verified")

    page.click("[data-jump='reminders']")
    page.click("[data-pane='dm']")
    expect(page.locator("#pane")).to_contain_text("#2")
    expect(page.locator("#pane").get_by_role("button", name=SNOOZE_HOUR_LABEL)).to_be_visible()
    shot("5-reminder-dm")

    act_as(BOB)
    page.click("[data-pane='home']")
    expect(page.locator("#pane .home")).to_contain_text(HOME_MINE)
    expect(page.locator("#pane .home")).to_contain_text(HOME_QUEUE.split(" (")[0])
    shot("6-editor-home")

    page.click("[data-jump='digest']")
    page.click(f"[data-pane='channel:{DESK}']")
    digest = page.locator("#pane > article", has_text=DIGEST_TITLE.split("{")[0]).last
    expect(digest).to_contain_text(OVERDUE_TITLE.strip("*:"))
    expect(digest).to_contain_text("#2")
    digest.scroll_into_view_if_needed()
    shot("7-digest")

    page.fill("#message", "/factcheck help")
    page.click(".send")
    expect(page.locator("#pane")).to_contain_text(HELP_TITLE.split("—")[0].strip("* "))
    assert dialogs == []  # nothing in the article ran
    assert page.title() == "factcheck playground"
