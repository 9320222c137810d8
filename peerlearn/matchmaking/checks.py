"""System checks: settings of the matching that Django's start-up checks refuse."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def matching_encoder_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A misspelt ``PEERLEARN_MATCHING_ENCODER`` stops the platform rather than matching
    with another model, and so does a model whose package is not installed."""
    from peerlearn.matchmaking.embeddings import encoder_setting_problem

    problem = encoder_setting_problem(str(settings.PEERLEARN_MATCHING_ENCODER))
    return [Error(problem, id="matchmaking.E001")] if problem else []
