from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "peerlearn.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from peerlearn.audit import receivers, registry

        registry.register_audited_models()
        receivers.connect()
