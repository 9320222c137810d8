from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peerlearn.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from peerlearn.core.requestid import install_log_record_factory

        install_log_record_factory()
