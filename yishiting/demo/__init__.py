"""The demo district with a living history (`yishiting demo`).

`yishiting.areas.demo.demo_build` builds the district's areas, households, people, roles and organisations;
`yishiting.demo.history.demo_history_build(district, *, seed, today=None) -> HistoryResult` then walks demands,
topics, meetings, votes, notices, tasks, supervision, evaluations and archives through every state of the loop,
through the real services. It lives here, above the domains, because areas must not import deliberation or
handling (docs/architecture.md, rule 11). (Import from `.history`: this package is also a Django app, whose
`__init__` must not import models.)
"""
