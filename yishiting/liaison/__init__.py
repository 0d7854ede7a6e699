"""Officials' contact points (issue 20): 挂点联系 — district and street leaders linked to a community, which they
see at a glance — and 党代表联系群众 — deputies' contact records, whose raised matters become demands."""
