"""Oversight models, one module per part (re-exported here)."""

from .clusters import ClusterMember, ClusterSettings, ClusterTopic

__all__ = ["ClusterMember", "ClusterSettings", "ClusterTopic"]
