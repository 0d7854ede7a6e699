"""How long a full pass of Python's garbage collector pauses a server process, with and without what it loaded
frozen (config/wsgi.py calls gc.freeze() once Django and the project are loaded).

    .venv/bin/python bench/gc_pause.py            # 9 passes each way, median
    .venv/bin/python bench/gc_pause.py --runs 15

Loads the WSGI application as each granian worker does (config.wsgi), then the URL conf and every template a page
uses, as the first requests would. A full pass (generation 2) runs when enough objects have survived since the
last one, in whichever request allocates the object that tips it over: that request waits for the whole pass.
Prints the tracked objects and the median and longest pass, unfrozen and frozen. No database is touched.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def full_pass_ms() -> float:
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["DEBUG"] = "false"

    importlib.import_module("config.wsgi")  # as a granian worker loads it (it freezes what it loaded)
    from django.template.loader import get_template
    from django.urls import get_resolver

    routes = len(get_resolver().url_patterns)  # loaded by config.wsgi already
    for name in ("web/base.html", "403.html", "404.html"):
        get_template(name)
    frozen_at_start = gc.get_freeze_count()
    served = [full_pass_ms() for _ in range(runs)]  # as served: the templates compiled since stay unfrozen
    gc.unfreeze()
    tracked = len(gc.get_objects())
    unfrozen = [full_pass_ms() for _ in range(runs)]
    from _setup import machine_label

    print(machine_label())
    print(f"config.wsgi froze {frozen_at_start:,} objects; with the URL conf ({routes} top-level routes) and "
          f"templates loaded: {tracked:,} tracked")
    print(f"full pass, nothing frozen: median {statistics.median(unfrozen):.1f} ms, longest {max(unfrozen):.1f} ms "
          f"({runs} passes)")
    print(f"full pass, as served (frozen by config.wsgi): median {statistics.median(served):.1f} ms, "
          f"longest {max(served):.1f} ms ({runs} passes)")


if __name__ == "__main__":
    main()
