from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "peerlearn.alliances"
    label = "alliances"
    verbose_name = _("Learning alliances")

    def ready(self) -> None:
        from peerlearn.alliances.models import AllianceStage, MemberRole
        from peerlearn.audit.display import detail_choices_register

        # The audit trail's page names stages and roles, not their codes.
        detail_choices_register(
            "alliances.learningalliance",
            **{"from": AllianceStage.choices, "to": AllianceStage.choices},
            stage=AllianceStage.choices,
            role=MemberRole.choices,
        )
