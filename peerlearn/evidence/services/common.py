"""What every evidence write shares."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})
