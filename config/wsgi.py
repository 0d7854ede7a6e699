import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from yishiting.api.fast import FastPaths  # noqa: E402  (after Django is set up)
from yishiting.common.chunked import SizedBodies  # noqa: E402
from yishiting.common.wsgi import NoServerHeader, Observed  # noqa: E402

# The hot POSTs (an owner's ballot) answered without Django when nothing is unusual: docs/adr/0002-lean-hot-paths.md
# In front, a chunked body (no Content-Length) gets its length, or Django would read it as empty; outermost, no
# response names the server software (docs/deploy.md). Observed gives each request its id (logs) and counts it
# (/metrics), fast paths included.
application = NoServerHeader(Observed(SizedBodies(FastPaths(django_application))))

# What is loaded by now — Django, the project's modules and settings, and the URL conf with every view module
# (loaded here rather than by the first request) — lives as long as the server process. Frozen, it is left out of
# the garbage collector's full passes, each of which pauses the request that sets it off (bench/gc_pause.py).
get_resolver().url_patterns  # noqa: B018
gc.collect()
gc.freeze()
