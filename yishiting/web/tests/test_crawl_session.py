"""The crawl's data stays open while the tests that follow use it, and only then (crawl_session.py)."""

from types import SimpleNamespace

from .crawl_session import keeps_crawl_data

CRAWL_A, CRAWL_B = SimpleNamespace(__name__="test_crawl"), SimpleNamespace(__name__="test_english")
OTHER = SimpleNamespace(__name__="test_evaluation_pages")


def item(module, *fixtures: str) -> SimpleNamespace:
    return SimpleNamespace(module=module, fixturenames=["db", *fixtures])


def test_the_data_is_kept_for_the_next_crawl_in_any_module_and_rolled_back_before_anything_else():
    assert keeps_crawl_data(item(CRAWL_A, "crawl"), item(CRAWL_A, "crawl"))
    assert keeps_crawl_data(item(CRAWL_A, "crawl"), item(CRAWL_B, "crawl"))  # built once for both modules
    # a test of the same module that does not crawl: the module's fixture still holds the data
    assert keeps_crawl_data(item(CRAWL_B, "crawl"), item(CRAWL_B))
    assert not keeps_crawl_data(item(CRAWL_B, "crawl"), item(OTHER))  # another module's test sees none of it
    assert not keeps_crawl_data(item(CRAWL_B), item(OTHER))
    assert not keeps_crawl_data(item(CRAWL_A, "crawl"), None)  # the worker's last test
