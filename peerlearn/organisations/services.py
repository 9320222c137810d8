"""Writing organisations: creating them (a name close to existing ones is offered them
first) and merging duplicates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.models import Country
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.similarity import close_to


@transaction.atomic
def organisation_create(
    *,
    name: str,
    type: str,
    country: Country | None,
    acronym: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    name = name.strip()
    duplicate = Organisation.objects.filter(name__iexact=name, country=country).exists()
    if duplicate:
        raise ValidationError(
            {"name": [_("An organisation with this name already exists in this country.")]}
        )
    organisation = Organisation(
        name=name,
        type=type,
        country=country,
        acronym=acronym.strip(),
        website=website,
        description=description,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


class CloseOrganisations(ValidationError):
    """Creating an organisation whose name is close to existing ones: offer those first."""

    def __init__(self, organisations: list[Organisation]) -> None:
        names = ", ".join(str(o) for o in organisations)
        super().__init__(
            {
                "new_organisation_name": [
                    _(
                        "Close to an organisation already listed: %(names)s. Choose it, or "
                        "tick “none of these” to add yours anyway."
                    )
                    % {"names": names}
                ]
            }
        )
        self.organisations = organisations


def organisations_close_to(*, name: str, country: Country | None) -> list[Organisation]:
    """Organisations of ``country`` (international ones, without) whose name is close to
    ``name`` (see :mod:`peerlearn.organisations.similarity`)."""
    candidates = Organisation.objects.filter(country=country).select_related("country")
    return close_to(name, candidates)


def organisation_get_or_create(
    *,
    name: str,
    type: str,
    country: Country | None,
    acronym: str = "",
    create_anyway: bool = False,
) -> Organisation:
    """The organisation named ``name`` in ``country``, created if it does not exist yet.
    A name close to existing ones raises :class:`CloseOrganisations` naming them, unless
    ``create_anyway``: duplicates are prevented where they start."""
    existing = Organisation.objects.filter(name__iexact=name.strip(), country=country).first()
    if existing is not None:
        return existing
    if not create_anyway:
        close = organisations_close_to(name=name, country=country)
        if close:
            raise CloseOrganisations(close)
    return organisation_create(name=name, type=type, country=country, acronym=acronym)


def organisation_named(
    *, picked: Organisation | None, added: dict[str, Any]
) -> Organisation | None:
    """The organisation a form names, from the cleaned data of the form that adds one
    below it (``peerlearn.organisations.forms.OrganisationForm``): one of those close to
    the name typed, ticked; else the one added (:func:`organisation_get_or_create`, which
    may raise :class:`CloseOrganisations`); else ``picked`` from the list."""
    if added.get("use_organisation"):
        chosen: Organisation = added["use_organisation"]
        return chosen
    if added.get("new_organisation_name"):
        return organisation_get_or_create(
            name=added["new_organisation_name"],
            type=added["new_organisation_type"],
            country=added.get("new_organisation_country"),
            create_anyway=added.get("create_anyway", False),
        )
    return picked


# --- merging duplicates ----------------------------------------------------------------
#
# Every reference to the duplicates moves to the kept organisation. The references are found
# from the model's metadata (``Organisation._meta.related_objects``), so a foreign key or a
# many-to-many field another app adds later moves too: people, alliance member organisations
# and funders, initiatives' implementers and funders, action plans, knowledge transfers'
# origins and adopters, ...

#: Fields of the kept organisation filled from a duplicate when the kept one leaves them empty.
_FILLED = ("acronym", "website", "description")


def _references(
    organisation: Organisation,
) -> Iterable[tuple[str, type[models.Model], str]]:
    """(label, model, field name) of every row pointing to an organisation: foreign keys
    from other models, and the through rows of many-to-many fields."""
    for relation in Organisation._meta.related_objects:
        if relation.many_to_many:
            through = relation.through  # type: ignore[attr-defined]
            field_name = relation.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            related = relation.related_model
            assert not isinstance(related, str)  # resolved once the app registry is ready
            yield f"{related._meta.label}.{relation.field.name}", through, field_name
        else:
            model = relation.related_model
            assert not isinstance(model, str)
            yield model._meta.label, model, relation.field.name


def _move(model: type[models.Model], field_name: str, old: Organisation, new: Organisation) -> int:
    """Point ``model``'s rows from ``old`` to ``new``; a row the kept organisation already
    has (a unique constraint says so) is dropped as the duplicate it is."""
    moved = 0
    manager = model._base_manager
    for pk in list(manager.filter(**{field_name: old}).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                moved += manager.filter(pk=pk).update(**{field_name: new})
        except IntegrityError:
            manager.filter(pk=pk).delete()
    return moved


@transaction.atomic
def organisation_merge(
    *, keep: Organisation, duplicates: Iterable[Organisation], by: User | None
) -> dict[str, int]:
    """Move every reference to each of ``duplicates`` to ``keep``, fill ``keep``'s empty
    acronym, website and description from them, and delete them; in one transaction,
    recorded in the audit trail. Returns how many rows moved, by model and field."""
    duplicates = list(duplicates)
    if not duplicates:
        raise ValidationError({"duplicates": [_("Choose at least one organisation to merge.")]})
    if any(d.pk == keep.pk for d in duplicates):
        raise ValidationError(
            {"duplicates": [_("An organisation cannot be merged into itself: keep another.")]}
        )
    moved: Counter[str] = Counter()
    filled = []
    for duplicate in duplicates:
        for label, model, field_name in _references(duplicate):
            count = _move(model, field_name, duplicate, keep)
            if count:
                moved[label] += count
        for name in _FILLED:
            if not getattr(keep, name) and getattr(duplicate, name):
                setattr(keep, name, getattr(duplicate, name))
                filled.append(name)
    merged_ids = [d.pk for d in duplicates]
    Organisation.objects.filter(pk__in=merged_ids).delete()
    if filled:
        keep.save(update_fields=sorted(set(filled)))
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type="organisations.organisation",
        object_id=keep.pk,
        detail={"merged": merged_ids, "moved": dict(moved)},
    )
    return dict(moved)


def merge_summary(moved: dict[str, Any]) -> str:
    """The moved rows in a line, e.g. "accounts.User: 3, alliances.AllianceOrganisation: 1"."""
    return ", ".join(f"{label}: {n}" for label, n in sorted(moved.items())) or "—"
