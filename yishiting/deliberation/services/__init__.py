"""Writes of the deliberation domain, one module per part: topics (and opinions), meetings (venues, plans,
sign-in, steps, resolutions) and votes (ballots, proxies, the Art. 278 tally)."""
