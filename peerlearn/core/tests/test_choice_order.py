"""Lists of countries and languages are in the alphabetical order of the names shown, in the
reader's language, whatever their case and accents."""

from __future__ import annotations

import pytest
from django.utils import translation

from peerlearn.core.forms import ModelChoiceByName, ModelMultipleChoiceByName
from peerlearn.core.models import Country, Language

pytestmark = pytest.mark.django_db


def labels(field: ModelChoiceByName | ModelMultipleChoiceByName) -> list[str]:
    return [str(label) for _value, label in field.choices]


def test_countries_follow_the_names_shown() -> None:
    shown = labels(ModelChoiceByName(queryset=Country.objects.all(), empty_label="Any"))
    assert shown[0] == "Any"
    names = shown[1:]
    # Accents and case do not send a name to the end of the list.
    assert names.index("Åland Islands") < names.index("Albania")
    assert names.index("Costa Rica") < names.index("Côte d’Ivoire") < names.index("Croatia")
    # A name shown differently from the one stored is listed where it is read: Bonaire,
    # Sint Eustatius and Saba is shown as the Caribbean Netherlands.
    assert Country.objects.get(code="BQ").display_name == "Caribbean Netherlands"
    assert names.index("Cameroon") < names.index("Caribbean Netherlands")
    assert names.index("Caribbean Netherlands") < names.index("Cayman Islands")


def test_the_order_is_the_readers_language() -> None:
    with translation.override("fr"):
        names = labels(ModelMultipleChoiceByName(queryset=Country.objects.all()))
    assert names.index("Algérie") < names.index("Allemagne") < names.index("Andorre")
    assert names.index("Égypte") < names.index("Érythrée") < names.index("Espagne")


def test_languages_follow_the_names_shown() -> None:
    names = labels(ModelChoiceByName(queryset=Language.objects.all(), empty_label=None))
    # Stored as "Chichewa; Chewa; Nyanja", shown as Nyanja: among the N's.
    assert names.index("Norwegian") < names.index("Nyanja") < names.index("Occitan")
    assert names.index("Māori") < names.index("Marathi")


def test_every_form_lists_countries_and_languages_by_the_names_shown() -> None:
    """Each form field choosing among countries or languages uses the order above."""
    from django import forms

    from peerlearn.evidence.forms import TransferForm
    from peerlearn.initiatives.forms import InitiativeProposalForm
    from peerlearn.library.forms import CaseForm
    from peerlearn.matchmaking.forms import RunForm
    from peerlearn.organisations.forms import OrganisationForm
    from peerlearn.peers.forms import PeerFilterForm, ProfileForm

    checked = 0
    forms_checked = (
        TransferForm,
        InitiativeProposalForm,
        CaseForm,
        RunForm,
        PeerFilterForm,
        ProfileForm,
        OrganisationForm,
    )
    for form in forms_checked:
        for name, field in form.base_fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model in (
                Country,
                Language,
            ):
                checked += 1
                assert isinstance(field, ModelChoiceByName | ModelMultipleChoiceByName) or (
                    getattr(field, "kind", None) is not None  # a picker: searched, not listed
                ), f"{form.__name__}.{name}"
    assert checked >= 6
