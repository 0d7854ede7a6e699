"""Reads of the handling app, one module per stage; handler candidates are used by screening too."""

from .handlers import HANDLER_ROLES, handler_candidates

__all__ = ["HANDLER_ROLES", "handler_candidates"]
