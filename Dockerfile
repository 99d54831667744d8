# The app's image: one image for the three roles of compose.yaml (refresher, replicas; HAProxy uses its own).
# Build: docker build -t mapcore-287g .   (docs/deploy.md)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    MAPCORE_CACHE=/var/cache/mapcore

WORKDIR /app
# The package first (its layer is reused while only pages change). Installed editable: the pages, the
# bundled data/ and geo/ and .streamlit/config.toml are read from /app, as in a source checkout.
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY src ./src
COPY data ./data
COPY geo ./geo
RUN pip install --no-cache-dir -e . \
    && useradd --system --uid 10001 --home-dir /var/cache/mapcore mapcore \
    && mkdir -p /var/cache/mapcore /data \
    && chown mapcore /var/cache/mapcore /data
COPY app.py ./
COPY pages ./pages
COPY .streamlit ./.streamlit

USER mapcore
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=3).status != 200)"]
# A replica: `streamlit run app.py` with the app's hooks (mapcore.app.ui.server); it shows what the refresher
# published (MAPCORE_REFRESH=external in compose.yaml) and never fetches or builds.
CMD ["python", "-m", "mapcore.app.ui.server", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
