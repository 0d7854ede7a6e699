"""Status tables of a 破题报告 and a 践诺 pledge (docs/states/report.md, pledge.md).

A report is submitted by the cadre, reviewed by experts (each comment moves it to 已点评; more comments may
follow), and the office may select a reviewed one as an example (入选示范). A pledge is published by the cadre
(践诺中) and completed (已兑现) by them with its result; overdue is a flag beside the status, not a status.
"""

from .choices import PledgeStatus as P
from .choices import ReportStatus as R

REPORT_TRANSITIONS: dict[str, set[str]] = {
    R.SUBMITTED: {R.REVIEWED},
    R.REVIEWED: {R.PUBLISHED},
    R.PUBLISHED: set(),
}
PLEDGE_TRANSITIONS: dict[str, set[str]] = {
    P.ACTIVE: {P.DONE},
    P.DONE: set(),
}

TABLES = {"Report": REPORT_TRANSITIONS, "Pledge": PLEDGE_TRANSITIONS}  # docs/states (`yishiting states`)
