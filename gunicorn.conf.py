"""gunicorn settings for a production-like run (`make serve`) and for containers. Every value can be overridden
from the environment, so the same file serves a laptop, a container and a larger host."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Synchronous workers: the app does short database work per request; more processes, not threads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Restart workers now and then, so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the app once in the master, so a broken configuration stops the server before any worker starts.
preload_app = True
accesslog = "-"
errorlog = "-"
# The path the app notes for the log (portal/access_log.py): a route with a token or a code in its path by its
# pattern (`/reset-password/<token>`), never the secret; "-" if the request never reached the app. No query strings:
# they can carry search filters typed by the public, or a secret link in a sign-in page's `next`.
access_log_format = '%(h)s "%(m)s %({portal.log_path}e)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """Compile every template in the master once, so workers (forked from it, and again after max_requests)
    do not each pay for compiling a page on its first request."""
    app = server.app.wsgi()
    for name in app.jinja_env.list_templates(extensions=["html", "txt"]):
        app.jinja_env.get_template(name)
