"""Oversight (督、评): the figures officials answer for — roll-ups kept with the events, the overview, rankings,
clusters and recurrence (举一反三), hot spots, 堡垒指数 / 先锋指数, unit ratings, 整改清单 and public statistics.

It sits above the domains whose events it counts (common → areas → demands → deliberation → handling →
mediation/legal → oversight → api/web) and writes none of their tables.
"""
