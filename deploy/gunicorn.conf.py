"""gunicorn's settings for Newsroom (the container's command and the systemd unit use it).

Workers: gunicorn's own WEB_CONCURRENCY variable (default 1; about 2 per core). Options
given on the command line win over this file (the systemd unit binds to 127.0.0.1).
"""

import os

from newsroom.logs import logging_config

bind = "0.0.0.0:8000"
# Heartbeat files in memory: a container's /tmp may be a slow overlay disk.
worker_tmp_dir = "/dev/shm"
# One line per request comes from the app (newsroom.logs.RequestLogMiddleware, with the
# request id); gunicorn's own access log would say it twice.
accesslog = None
# No runtime control socket (gunicorn 25.1+): it would go to $HOME, which the image's user
# cannot write and which two gunicorns on one host would share. (Older versions ignore it.)
control_socket_disable = True

# gunicorn's own lines (start, worker timeouts) in the same format as the app's, on stdout.
_config = logging_config(os.environ.get("LOG_FORMAT") or "json", "INFO")
_config["loggers"].update(
    {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    }
)
logconfig_dict = _config
