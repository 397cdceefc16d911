"""Settings for benchmark runs only: the site, plus two baseline views (bench/urls.py).

`bench/run.py` starts gunicorn with DJANGO_SETTINGS_MODULE=bench.settings; production never
loads this module, so the baseline URLs do not exist there.
"""

import copy
import os
from pathlib import Path

from newsroom.settings import *  # noqa: F403
from newsroom.settings import TEMPLATES, VAR_DIR

ROOT_URLCONF = "bench.urls"

# The template baseline is an article page saved by bench/probe.py, in a scratch folder.
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [
    *TEMPLATES[0]["DIRS"],
    Path(os.environ.get("BENCH_TEMPLATES_DIR", VAR_DIR / "bench-templates")),
]
