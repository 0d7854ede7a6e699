"""What page tests read: the <main> of a rendered page, where the page's own content is."""

from __future__ import annotations


def main(response) -> str:
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def duplicate_ids(response) -> list[str]:
    """Element ids used more than once on the page (each must be unique for labels and assistive tech)."""
    import re
    from collections import Counter

    ids = Counter(re.findall(r'\sid="([^"]+)"', response.content.decode()))
    return sorted(i for i, n in ids.items() if n > 1)
