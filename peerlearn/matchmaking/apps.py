from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "peerlearn.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from peerlearn.matchmaking import (
            checks,  # noqa: F401 (registers the system check)
            signals,
        )

        signals.connect()
