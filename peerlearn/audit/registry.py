"""Which model fields the trail follows (django-auditlog), and only those: visibility,
platform roles and account state, alliance memberships and their roles, authorisation
decisions, alliance stages, the evidence's items and their substantiation. Text a person
wrote is never copied into the trail."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

#: model label → the fields whose changes are recorded (creation and deletion always are).
AUDITED_FIELDS: dict[str, list[str]] = {
    "accounts.User": ["role", "is_active", "is_staff", "is_superuser", "erased_at"],
    "peers.PeerProfile": ["visibility"],
    "peers.Challenge": ["visibility", "alliance"],
    "peers.Experience": ["visibility", "alliance"],
    "peers.Authorisation": ["status", "peer", "authoriser", "decided_on"],
    "alliances.LearningAlliance": ["visibility", "stage"],
    "alliances.AllianceMembership": ["alliance", "user", "role"],
    "initiatives.Initiative": ["visibility", "status"],
    "matchmaking.OpenCall": ["visibility"],
    "library.Case": ["visibility", "status", "alliance"],
    "library.Resource": ["visibility", "status", "alliance", "file"],
    "evidence.Indicator": ["visibility", "alliance"],
    "evidence.OutcomeStatement": ["visibility", "substantiation"],
    "evidence.KnowledgeTransfer": ["visibility", "status"],
    "evidence.Insight": ["visibility"],
    "evidence.ScorecardRound": ["visibility"],
}


def register_audited_models() -> None:
    for label, fields in AUDITED_FIELDS.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, include_fields=fields)
