from .assignments import Consultation, TemplateAssignment
from .meetings import AgendaItem, Meeting, MeetingStep, Participant, Resolution, Venue
from .templates import ProcessTemplate
from .topics import Opinion, Topic, TopicAttachment
from .votes import Ballot, OptionCount, Proxy, Vote

__all__ = ["AgendaItem", "Ballot", "Consultation", "Meeting", "MeetingStep", "Opinion", "OptionCount", "Participant",
           "ProcessTemplate", "Proxy", "Resolution", "TemplateAssignment", "Topic", "TopicAttachment", "Venue", "Vote"]
