# syntax=docker/dockerfile:1
# One image for every Community Space component: the four nameko services, the gateway
# and the residents' web client. docker-compose.yml (or the Kubernetes manifests) picks
# the component by its command; the health check is declared there too, one per component.

# The web client's front-end packages (KRDS, htmx, Leaflet), from web/package-lock.json.
# Only the dependencies it serves: the devDependencies (axe-core, for the browser tests)
# stay out. Node itself stays in this stage; the image gets node_modules alone.
FROM node:22-slim AS web-assets
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PSYCOPG_WAIT_FUNC=wait_select \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so that a code change does not
# reinstall them. Only [project].dependencies: no test or dev extras in the image.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
    && pip install -r /tmp/requirements.txt \
    && pip check \
    && rm /tmp/requirements.txt

# The code. It runs from /app (PYTHONPATH) rather than from site-packages, because the
# commands name files by path (services/<name>/config.yaml),
# chassis.migrations finds each component's Alembic scripts next to its code and the web
# client its templates, static files, translations and node_modules next to its own.
# Owned by root and not writable by the user the processes run as.
COPY chassis ./chassis
COPY services ./services
COPY gateway ./gateway
COPY web ./web
COPY --from=web-assets /web/node_modules ./web/node_modules
# The web client's catalogues compiled from the .po files (pybabel comes with Flask-Babel).
RUN pybabel compile -d web/translations \
    && python -m compileall -q chassis services gateway web

# Numeric, so that Kubernetes runAsNonRoot can verify it.
USER 10001:10001

# The gateway; the web client (python -m web.serve, CS_WEB_BIND).
EXPOSE 8000 8080

# The gateway by default; docker-compose.yml gives each service its own command.
CMD ["sh", "-c", "python -m chassis.migrations gateway && exec python -m gateway.serve"]
