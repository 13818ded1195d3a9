# The portal: gunicorn serving the app as a non-root user. The same image runs the outbox worker and the
# scheduled jobs (see compose.yaml). GOV.UK Frontend assets are committed in static/, so no Node is needed.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORTAL_ENV=production \
    FLASK_APP=wsgi \
    BIND=0.0.0.0:8000

WORKDIR /app
COPY pyproject.toml ./
# Dependencies first, so code changes do not reinstall them.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" \
      > requirements.txt \
    && pip install -r requirements.txt \
    && useradd --system --uid 10001 --home-dir /app portal

COPY --chown=portal:portal . .
# The Polish and Arabic catalogues are committed as .po files and compiled here.
RUN pybabel compile -d portal/translations --statistics \
    && mkdir -p /app/instance && chown -R portal:portal /app/instance /app/portal/translations
USER portal

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
