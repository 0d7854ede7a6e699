"""Outbound text messages (SMS, WeChat template messages) behind one adapter.

We cannot reach the carriers from here, so the product ships backends that really run:
- console: prints the message to standard output (the default; what the demo and tests use),
- email: sends it as an e-mail through Django's mail settings (to MESSAGING_EMAIL_TO),
- memory: keeps it in `outbox` (for tests that read what was sent).
A real gateway is one more class with the same `send` method.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" or "wechat"
    to: str
    text: str
    sent_at: object = None


outbox: list[Message] = []


class ConsoleBackend:
    def send(self, message: Message) -> None:
        sys.stdout.write(f"[{message.channel}] 发送给 {message.to}：{message.text}\n")
        sys.stdout.flush()


class EmailBackend:
    def send(self, message: Message) -> None:
        recipient = settings.MESSAGING_EMAIL_TO or "root@localhost"
        send_mail(f"[{message.channel}] {message.to}", message.text, None, [recipient])


class MemoryBackend:
    def send(self, message: Message) -> None:
        outbox.append(message)


BACKENDS = {"console": ConsoleBackend, "email": EmailBackend, "memory": MemoryBackend}


def message_send(*, to: str, text: str, channel: str = "sms") -> Message:
    message = Message(channel=channel, to=to, text=text, sent_at=timezone.now())
    BACKENDS[settings.MESSAGING_BACKEND]().send(message)
    return message
