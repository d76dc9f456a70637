# Image of the gateway, the action server and the CLI (migration Job): one image, the
# command chooses the process (deploy/k8s/). Build from the repository root:
#   podman build -f deploy/Containerfile.app -t registry.hwk-beispiel.de/werkbot/app:1.0.0 .
# Same recipe as scripts/setup-app-venv.sh: Python 3.11, requirements/app.lock.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PATH=/app/.venv/bin:$PATH

WORKDIR /app

# the lock also holds the test tools (pytest, playwright without browsers, ruff, mypy):
# unused here, kept so that the image runs exactly the tested versions
COPY requirements/app.lock requirements/app.lock
RUN python -m venv /app/.venv \
 && pip install -q -U pip \
 && pip install -q -r requirements/app.lock \
 && pip check

# what the processes read at run time: code, Alembic migrations (bot/db/migrations),
# the knowledge base, the NLU examples (topic classifier, trade lexicon of the search)
COPY alembic.ini ./
COPY bot/ bot/
COPY actions/ actions/
COPY knowledge_base/ knowledge_base/
COPY data/ data/

# bytecode now, because the root filesystem is read-only in the pods;
# var/ is the only place written to (an emptyDir in Kubernetes)
RUN python -m compileall -q bot actions \
 && groupadd --gid 10001 werkbot \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app \
      --shell /usr/sbin/nologin werkbot \
 && mkdir -p /app/var \
 && chown werkbot:werkbot /app/var

USER 10001:10001
EXPOSE 8080 5055
CMD ["python", "-m", "bot", "serve"]
