import os

from django.core.wsgi import get_wsgi_application

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
