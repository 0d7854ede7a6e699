"""Loaded by pytest before Django (`-p` in pyproject): marks the process as a test run for config.settings."""

import os

os.environ.setdefault("YISHITING_TESTING", "1")
