# factcheck-bot: `factcheck run` on a slim Python, as a non-root user.
# The install steps below are replayed by .ci/run (step "Dockerfile install steps"): keep them in step.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 factcheck
WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN mkdir -p bot storage \
    && touch bot/__init__.py storage/__init__.py \
    && pip install . \
    && pip uninstall --yes factcheck-bot

COPY bot ./bot
COPY storage ./storage
RUN pip install --no-deps .

USER 10001
WORKDIR /home/factcheck
ENV DATABASE_URL=sqlite:////home/factcheck/factcheck.db \
    PORT=3000
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

CMD ["factcheck", "run"]
