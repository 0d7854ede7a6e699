"""Who may see, shape, run and vote in deliberation (scope kinds in common/rules.py).

Residents see and give opinions on the topics of their own community; staff work their subtree; the office
roles (community staff and secretary, street and district officials) convene, plan, run meetings and open
votes. Who may cast a ballot is decided by the vote's electorate (signed-in participants, or the owners of the
units in scope), checked in the vote service — not by a role.
"""

from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import register

TOPICS_VIEW = register("deliberation.view", "查看议题和协商", {**MEMBERS, **STAFF})
TOPICS_OPINE = register("deliberation.opine", "对议题发表意见", {**MEMBERS})
TOPICS_ENTER_OPINION = register("deliberation.enter_opinion", "代居民录入入户征求的意见", {**STAFF})
TOPICS_MANAGE = register("deliberation.manage", "提出议题、分析研判、安排和主持协商", {**OFFICE})
VENUES_MANAGE = register("deliberation.venues", "维护议事场所", {**OFFICE})
VOTES_MANAGE = register("deliberation.votes", "发起和结束表决、录入纸质票和委托", {**OFFICE})
# Process templates are a district's shared rules: admins (and superusers) edit them.
TEMPLATES_MANAGE = register("deliberation.templates", "维护议事规则模板", {})
