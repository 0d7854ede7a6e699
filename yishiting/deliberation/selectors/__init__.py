"""Reads of deliberation records, one module per part (topics, meetings, votes)."""

from .topics import open_topics_covering, topics_of_community

__all__ = ["open_topics_covering", "topics_of_community"]
