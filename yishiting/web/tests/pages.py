"""What page tests read: the <main> of a rendered page, where the page's own content is."""

from __future__ import annotations


def main(response) -> str:
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]
