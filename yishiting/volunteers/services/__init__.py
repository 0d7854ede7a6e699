"""Writes of volunteering: one transaction each, status changes through common.transitions."""

from .activities import (  # noqa: F401
    activity_cancel,
    activity_check_in_by_code,
    activity_create,
    activity_finish,
    activity_new_code,
    activity_sign_up,
    attendance_adjust_hours,
    attendance_cancel,
    attendance_check_in,
    attendance_check_out,
    attendance_rate,
    checkin_token,
    computed_hours,
    places_taken,
    token_valid,
)
from .teams import (  # noqa: F401
    claim_release,
    post_claim,
    post_create,
    shift_confirm,
    shift_log,
    shift_reject,
    team_create,
    team_join,
    team_leave,
    team_set_leader,
)
