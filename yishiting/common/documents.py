"""Printable documents: HTML rendered to PDF by WeasyPrint, offline.

Chinese text uses fonts installed by scripts/system-deps.sh (Debian fonts-droid-fallback, a TrueType face that
subsets quickly, with fonts-noto-cjk behind it), embedded as subsets, so a file prints the same anywhere. Nothing is fetched over the network: only `data:` URLs may load.
"""

from __future__ import annotations


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The page is self-contained: refuse every remote or file URL so a document can never reach the network.
    fetcher = URLFetcher(allowed_protocols=["data"], fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()
