from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "peerlearn.strategy"
    label = "strategy"
    verbose_name = _("Pre-assessment and learning strategy")
