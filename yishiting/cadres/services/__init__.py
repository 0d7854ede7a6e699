"""Every write of the cadres app (one service each, @transaction.atomic, with its event)."""

from .archive import cadre_register, mentor_add, mentor_note_add, mentorship_assign, mentorship_end, post_add  # noqa: F401
from .pledges import pledge_complete, pledge_publish, pledge_update  # noqa: F401
from .reports import report_publish, report_review, report_submit  # noqa: F401
from .training import (  # noqa: F401
                      activity_add,
                      attendance_record,
                      honour_award,
                      programme_create,
                      programme_enrol,
                      talk_record,
)
