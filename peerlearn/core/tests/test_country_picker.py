"""The country picker: countries found by name (in English or the reader's language) or ISO
code, with and without htmx; used by the initiative proposal and case forms."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peerlearn.core.models import Country
from peerlearn.core.pickers import COUNTRIES, PickerMultipleField

pytestmark = pytest.mark.django_db


class CountriesForm(forms.Form):
    countries = PickerMultipleField(
        Country.objects.all(), kind=COUNTRIES, to_field_name="code", required=False
    )


def _form(**data: Any) -> CountriesForm:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return CountriesForm(query)


def _codes(form: CountriesForm) -> list[str]:
    assert form.is_valid(), form.errors
    return sorted(c.code for c in form.cleaned_data["countries"])


def test_ticked_countries_are_chosen() -> None:
    assert _codes(_form(countries=["KE", "GH"])) == ["GH", "KE"]


@pytest.mark.parametrize("text", ["Kenya", "kenya", "KE", "ken", "KEN"])
def test_a_name_or_an_iso_code_chooses_one_without_javascript(text: str) -> None:
    assert _codes(_form(countries=["GH"], countries__q=text)) == ["GH", "KE"]


def test_a_name_inside_another_is_chosen_exactly() -> None:
    # "Niger" also starts "Nigeria"; the exact name wins.
    assert _codes(_form(countries__q="Niger")) == ["NE"]


@pytest.mark.parametrize("text", ["gu", "in", "ni"])
def test_two_small_letters_are_not_taken_for_a_code(text: str) -> None:
    """ "gu" starts Guatemala and Guinea as well as being Guam's code: listed, not chosen."""
    form = _form(countries__q=text)
    assert not form.is_valid()
    assert "Several match" in form.errors["countries"][0]


def test_a_code_in_capitals_is_a_code() -> None:
    assert _codes(_form(countries__q="GU")) == ["GU"]
    assert _codes(_form(countries__q="IND")) == ["IN"]


def test_an_ambiguous_text_lists_the_matches_to_tick() -> None:
    form = _form(countries__q="gui")  # Guinea, Guinea-Bissau, Papua New Guinea, ...
    assert not form.is_valid()
    assert "Several match" in form.errors["countries"][0]
    html = str(form["countries"])
    assert 'name="countries" value="GN"' in html and 'name="countries" value="GW"' in html


def test_names_in_the_readers_language_and_without_accents() -> None:
    with translation.override("fr"):
        assert _codes(_form(countries__q="Sénégal")) == ["SN"]
        assert _codes(_form(countries__q="cote d'ivoire")) == ["CI"]
        assert _codes(_form(countries__q="Allemagne")) == ["DE"]


def test_suggestions_fragment_and_page(client: Client) -> None:
    url = reverse("core:country_suggestions")
    html = client.get(
        url, {"field": "countries", "countries__q": "ke"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    # Kenya (its code) comes first; no page around the fragment.
    assert html.index('value="KE"') < html.index('value="TK"')  # Tokelau holds "ke" too
    assert "<html" not in html
    # Without htmx, a page anyone may open: countries are not confidential.
    page = client.get(url, {"field": "countries", "countries__q": "kenya"})
    assert page.status_code == 200 and "Kenya" in page.content.decode()


def test_the_widget_asks_the_country_suggestions_and_drops_the_ctrl_hint() -> None:
    from peerlearn.initiatives.forms import InitiativeProposalForm
    from peerlearn.library.forms import CaseForm

    for form in (InitiativeProposalForm(), CaseForm()):
        html = str(form["countries"])
        assert reverse("core:country_suggestions") in html
        assert "Add a country" in html
        assert "Hold Ctrl" not in str(form["countries"].help_text)
