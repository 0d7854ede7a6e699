"""Status tables of volunteering (docs/states/activity.md, attendance.md, postclaim.md, shift.md).

An activity takes sign-ups (报名中) until the organiser ends it (已结束) or calls it off (已取消). A sign-up is
已报名 while places remain, else 候补中 (the first waiting moves up when a place frees); the volunteer checks in
by scanning the activity's QR code (or staff check them in), and is checked out by the organiser with the hours
and a rating (已签退: the hours are confirmed, `volunteers.hours_confirmed` is appended — once, since the row
lock lets only one check-out through). Who never came is marked 未到 when the activity ends.
A 公益服务岗 claim is 在岗 for its period, or released early; each shift on it is logged and then confirmed
(with the hours and a rating: `volunteers.hours_confirmed`) or not confirmed.
"""

from .choices import ActivityStatus as A
from .choices import AttendanceStatus as T
from .choices import ClaimStatus as C
from .choices import ShiftStatus as S

ACTIVITY_TRANSITIONS: dict[str, set[str]] = {
    A.OPEN: {A.FINISHED, A.CANCELLED},
    A.FINISHED: set(),
    A.CANCELLED: set(),
}

ATTENDANCE_TRANSITIONS: dict[str, set[str]] = {
    T.SIGNED_UP: {T.CHECKED_IN, T.CANCELLED, T.ABSENT},
    T.WAITING: {T.SIGNED_UP, T.CANCELLED},
    T.CHECKED_IN: {T.CHECKED_OUT},
    T.CHECKED_OUT: set(),
    T.CANCELLED: set(),
    T.ABSENT: set(),
}

CLAIM_TRANSITIONS: dict[str, set[str]] = {C.ACTIVE: {C.RELEASED}, C.RELEASED: set()}

SHIFT_TRANSITIONS: dict[str, set[str]] = {S.LOGGED: {S.CONFIRMED, S.REJECTED}, S.CONFIRMED: set(), S.REJECTED: set()}

# Holding a place: what counts against an activity's capacity.
HOLDS_PLACE = {T.SIGNED_UP, T.CHECKED_IN, T.CHECKED_OUT}
# Still on the activity's list (one per person).
LIVE = {T.SIGNED_UP, T.WAITING, T.CHECKED_IN, T.CHECKED_OUT}

TABLES = {"Activity": ACTIVITY_TRANSITIONS, "Attendance": ATTENDANCE_TRANSITIONS,
          "PostClaim": CLAIM_TRANSITIONS, "Shift": SHIFT_TRANSITIONS}
