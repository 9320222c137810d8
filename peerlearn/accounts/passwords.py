"""Django's password rules, each refusal naming what to do instead (Django's own say only
what is wrong: "This password is too common.")."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _(
            "The password is too much like your %(verbose_name)s: choose one that does not "
            "repeat it."
        )


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _(
            "This password is one of the most common: choose another, such as a few words "
            "that do not go together."
        )


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is only numbers: add letters or words.")
