"""Knowledge transfers: a practice one organisation adopted from another.

Writes: keyword-only, validated (``ValidationError`` keyed by the field, with a
message that names the fix), atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.access.base import Viewer
from peerlearn.access.evidence import (
    access_alliance_for_evidence,
    can_change_transfer,
    may_record_transfers,
    transfers_visible_to,
)
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.dates import date_format
from peerlearn.core.models import Country
from peerlearn.evidence.models import (
    KnowledgeTransfer,
)
from peerlearn.evidence.services.common import refuse
from peerlearn.organisations.models import Organisation


def transfer_problems(
    *,
    reader: Viewer,
    practice: str | None,
    origin_organisation: Organisation | None,
    origin_country: Country | None,
    adopters: Iterable[Organisation] | None,
    transferred_on: dt.date | None,
    instead_of: KnowledgeTransfer | None = None,
) -> dict[str, list[str]]:
    """Why a transfer cannot be registered as given: the origin organisation is among its
    adopters; the origin country is not the origin organisation's own (an organisation with
    no country, an international one, may be placed anywhere); or the register already
    holds the same transfer — the same practice (whatever the case), from the same origin
    to the same adopters on the same day — among those the reader may see. The service and
    the form both ask (the form with what it could read); a transfer being changed
    (``instead_of``) is not its own duplicate."""
    problems: dict[str, list[str]] = {}
    if origin_organisation is not None and any(
        o.pk == origin_organisation.pk for o in adopters or ()
    ):
        problems["adopters"] = [
            _("The origin organisation cannot adopt its own practice: remove it from adopters.")
        ]
    home = origin_organisation.country if origin_organisation is not None else None
    if home is not None and origin_country is not None and origin_country.pk != home.pk:
        problems["origin_country"] = [
            _(
                "%(organisation)s is in %(country)s: choose %(country)s as the origin "
                "country, or choose the organisation the practice came from."
            )
            % {"organisation": origin_organisation, "country": home.display_name}
        ]
    if (
        practice
        and practice.strip()
        and origin_organisation is not None
        and origin_country is not None
        and adopters is not None
        and transferred_on is not None
    ):
        adopting = {o.pk for o in adopters}
        candidates = (
            transfers_visible_to(reader)
            .filter(
                practice__iexact=practice.strip(),
                origin_organisation=origin_organisation,
                origin_country=origin_country,
                transferred_on=transferred_on,
            )
            .exclude(id__in=[instead_of.id] if instead_of is not None else [])
            .prefetch_related("adopters")
            .order_by("id")
        )
        for existing in candidates:
            if {o.pk for o in existing.adopters.all()} == adopting:
                problems["practice"] = [
                    _(
                        "This transfer is already in the register: “%(practice)s”, from "
                        "%(origin)s to %(adopters)s on %(date)s. Open it there rather than "
                        "registering it again, or change what differs."
                    )
                    % {
                        "practice": existing.practice,
                        "origin": existing.origin_organisation,
                        "adopters": ", ".join(sorted(str(o) for o in existing.adopters.all())),
                        "date": date_format(existing.transferred_on, "DATE_FORMAT"),
                    }
                ]
                break
    return problems


@transaction.atomic
def transfer_create(
    *,
    created_by: User,
    alliance: LearningAlliance | None,
    practice: str,
    origin_organisation: Organisation,
    origin_country: Country,
    adopters: Iterable[Organisation],
    transferred_on: dt.date,
    status: str,
    visibility: str,
    description: str = "",
    evidence: str = "",
) -> KnowledgeTransfer:
    """Register a practice one organisation learned from another."""
    return _transfer_save(
        KnowledgeTransfer(created_by=created_by),
        by=created_by,
        alliance=alliance,
        practice=practice,
        origin_organisation=origin_organisation,
        origin_country=origin_country,
        adopters=adopters,
        transferred_on=transferred_on,
        status=status,
        visibility=visibility,
        description=description,
        evidence=evidence,
    )


@transaction.atomic
def transfer_update(
    *,
    transfer: KnowledgeTransfer,
    updated_by: User,
    alliance: LearningAlliance | None,
    practice: str,
    origin_organisation: Organisation,
    origin_country: Country,
    adopters: Iterable[Organisation],
    transferred_on: dt.date,
    status: str,
    visibility: str,
    description: str = "",
    evidence: str = "",
) -> KnowledgeTransfer:
    """Change a transfer in the register, e.g. its status once the practice is adopted or
    scaled (:func:`~peerlearn.access.evidence.can_change_transfer` says who)."""
    if not can_change_transfer(updated_by, transfer):
        raise refuse("practice", _("Only the facilitators who keep this transfer may change it."))
    return _transfer_save(
        transfer,
        by=updated_by,
        alliance=alliance,
        practice=practice,
        origin_organisation=origin_organisation,
        origin_country=origin_country,
        adopters=adopters,
        transferred_on=transferred_on,
        status=status,
        visibility=visibility,
        description=description,
        evidence=evidence,
    )


@transaction.atomic
def transfer_delete(*, transfer: KnowledgeTransfer, deleted_by: User) -> None:
    """Remove a transfer registered by mistake (those who may change it only)."""
    if not can_change_transfer(deleted_by, transfer):
        raise refuse("practice", _("Only the facilitators who keep this transfer may change it."))
    transfer.delete()


def _transfer_save(
    transfer: KnowledgeTransfer,
    *,
    by: User,
    alliance: LearningAlliance | None,
    practice: str,
    origin_organisation: Organisation,
    origin_country: Country,
    adopters: Iterable[Organisation],
    transferred_on: dt.date,
    status: str,
    visibility: str,
    description: str,
    evidence: str,
) -> KnowledgeTransfer:
    if alliance is not None:
        access_alliance_for_evidence(by, alliance)
    elif not may_record_transfers(by):
        raise refuse("alliance", _("Only facilitators record transfers outside an alliance."))
    adopting = list(adopters)
    if not adopting:
        raise refuse("adopters", _("Choose at least one organisation that took up the practice."))
    problems = transfer_problems(
        reader=by,
        practice=practice,
        origin_organisation=origin_organisation,
        origin_country=origin_country,
        adopters=adopting,
        transferred_on=transferred_on,
        instead_of=transfer if transfer.pk else None,
    )
    if problems:
        raise ValidationError(problems)
    transfer.alliance = alliance
    transfer.practice = practice.strip()
    transfer.description = description.strip()
    transfer.origin_organisation = origin_organisation
    transfer.origin_country = origin_country
    transfer.transferred_on = transferred_on
    transfer.evidence = evidence.strip()
    transfer.status = status
    transfer.visibility = visibility
    transfer.full_clean()
    transfer.save()
    transfer.adopters.set(adopting)
    return transfer
