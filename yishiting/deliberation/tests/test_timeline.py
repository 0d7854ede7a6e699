"""The topic timeline's wording: what a resident reads on the topic and demand pages."""

from yishiting.deliberation.timeline import _what


def test_a_meeting_named_after_its_topic_is_not_quoted_twice():
    named = _what("topic.scheduled_in", {"meeting": "“楼道堆物整治”协商会", "form": "round_table"})
    plain = _what("topic.scheduled_in", {"meeting": "十月议事会", "form": "round_table"})
    assert named.startswith("列入会议“楼道堆物整治”协商会议程") and "““" not in named
    assert plain.startswith("列入会议“十月议事会”议程")
