"""gunicorn settings for production: `gunicorn -c portal/gunicorn.conf.py portal.wsgi` (docs/deployment.md).

gunicorn itself reads WEB_CONCURRENCY for the number of workers; the rest comes from the variables below.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads let a worker overlap database waits; the views are synchronous Django.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# Only the reverse proxy on this machine may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Load the application before forking: start-up errors (a refused SECRET_KEY) stop the master at once.
preload_app = True
