from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class CharacterClassValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, other symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def classes(self, password: str) -> int:
        groups = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isascii() or not c.isalnum() for c in password),
        ]
        return sum(groups)

    def validate(self, password: str, user=None) -> None:
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                gettext('密码须至少包含以下 %(min_classes)s 类字符：小写字母、大写字母、数字、符号。') % {"min_classes": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return gettext('密码至少 8 位，且至少包含小写字母、大写字母、数字、符号中的 %(min_classes)s 类。') % {"min_classes": self.min_classes}
