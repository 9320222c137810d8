"""The initiatives' part of the demo: the SDG targets each Annex 1 initiative serves."""

from __future__ import annotations

from datetime import date

from peerlearn.core.models import SDGTarget
from peerlearn.initiatives.models import Initiative

# Read from the paper's Annex 1 descriptions: effective, accountable institutions (16.6)
# throughout; participation (16.7), corruption (16.5), developing countries' voice (16.8),
# access to information (16.10) and domestic revenue (17.1) where the case is about them.
SDG_TARGETS = {
    "better-government-kyrgyzstan": ["16.6", "16.7"],
    "zambia-hrm-reform": ["16.6"],
    "climate-finance-integrity": ["16.5", "16.6"],
    "evidence-in-african-parliaments": ["16.6", "16.7"],
    "fiscal-decentralisation-kenya": ["16.6", "17.1"],
    "ella": ["16.6", "16.8"],
    "astana-hub-public-service-delivery": ["16.6", "16.7"],
    "open-government-partnership": ["16.6", "16.7", "16.10"],
}


def seed_demo(today: date) -> None:
    targets = {t.code: t for t in SDGTarget.objects.filter(code__in=_codes())}
    for initiative in Initiative.objects.filter(slug__in=SDG_TARGETS, sdg_targets__isnull=True):
        initiative.sdg_targets.set(
            [targets[c] for c in SDG_TARGETS[initiative.slug] if c in targets]
        )


def _codes() -> set[str]:
    return {c for codes in SDG_TARGETS.values() for c in codes}
