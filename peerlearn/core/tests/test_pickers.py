"""Pickers: a text field with server-side suggestions, with and without htmx."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from peerlearn.core.models import Language
from peerlearn.core.pickers import (
    LANGUAGES,
    SUGGESTIONS,
    Picked,
    PickerField,
    PickerMultipleField,
)

pytestmark = pytest.mark.django_db


class LanguagesForm(forms.Form):
    languages = PickerMultipleField(Language.objects.all(), kind=LANGUAGES, to_field_name="code")


def _form(**data: Any) -> LanguagesForm:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return LanguagesForm(query)


def test_ticked_values_are_chosen() -> None:
    form = _form(languages=["en", "fr"])
    assert form.is_valid(), form.errors
    assert sorted(lang.code for lang in form.cleaned_data["languages"]) == ["en", "fr"]


def test_a_text_naming_one_language_chooses_it_without_javascript() -> None:
    form = _form(languages=["en"], languages__q="Swahili")
    assert form.is_valid(), form.errors
    assert sorted(lang.code for lang in form.cleaned_data["languages"]) == ["en", "sw"]


def test_a_text_that_named_one_item_shows_it_chosen_when_the_form_comes_back() -> None:
    """Another field's error sends the form back: "fr" named French, so French shows
    ticked and the text is empty, rather than "fr" with French, Afrikaans and Western
    Frisian offered to tick as though nothing had been chosen."""

    class _WithName(LanguagesForm):
        name = forms.CharField()

    query = QueryDict(mutable=True)
    query.setlist("languages", ["en"])
    query["languages__q"] = "fr"
    form = _WithName(query)
    assert not form.is_valid() and set(form.errors) == {"name"}
    html = str(form["languages"])
    assert 'value="en" checked' in html and 'value="fr" checked' in html
    assert 'value="af"' not in html and 'value="" autocomplete' in html
    assert [lang.code for lang in form.cleaned_data["languages"]] == ["en", "fr"]


def test_an_ambiguous_text_lists_the_matches_to_tick() -> None:
    form = _form(languages=["en"], languages__q="ma")  # Malay, Maltese, Marathi, ...
    assert not form.is_valid()
    assert "Several match" in form.errors["languages"][0]
    html = str(form["languages"])
    # The chosen one stays ticked; the matches are offered unticked.
    assert 'value="en" checked' in html
    assert 'name="languages" value="ms"' in html
    assert "languages__q" in html


def test_text_already_answered_by_a_ticked_suggestion_is_ignored() -> None:
    # With htmx, one types "ma", ticks Maltese among the suggestions, and saves.
    form = _form(languages=["mt"], languages__q="ma")
    assert form.is_valid(), form.errors
    assert [lang.code for lang in form.cleaned_data["languages"]] == ["mt"]


class LanguageForm(forms.Form):
    language = PickerField(Language.objects.all(), kind=LANGUAGES, to_field_name="code")


def test_a_vague_text_typed_over_a_single_choice_asks_again_without_javascript() -> None:
    """Maltese is chosen; "ma" typed over it (no JavaScript) lists the matches instead of
    keeping Maltese in silence; choosing among them with the text still there is taken."""
    query = QueryDict("language=mt&language__q=ma")
    form = LanguageForm(query)
    assert not form.is_valid()
    assert "Several match “ma”" in form.errors["language"][0]
    html = str(form["language"])
    assert 'name="language__asked" value="ma"' in html and 'value="ms"' in html
    form = LanguageForm(QueryDict("language=ms&language__q=ma&language__asked=ma"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["language"].code == "ms"
    # Kept as chosen from the list, too.
    form = LanguageForm(QueryDict("language=mt&language__q=ma&language__asked=ma"))
    assert form.is_valid() and form.cleaned_data["language"].code == "mt"


def test_nothing_matching_says_so_and_required_holds() -> None:
    form = _form(languages__q="zzzz")
    assert not form.is_valid()
    assert "Nothing matches" in form.errors["languages"][0]
    assert not _form().is_valid()


def test_names_starting_with_the_text_come_first(client: Client) -> None:
    html = client.get(
        reverse("core:language_suggestions"),
        {"field": "languages", "languages__q": "mal"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert html.index('value="mt"') < html.index('value="so"')  # Maltese before Somali


def test_french_names_and_accents_are_found() -> None:
    from django.utils import translation

    with translation.override("fr"):
        form = _form(languages__q="Français")
        assert form.is_valid(), form.errors
    assert [lang.code for lang in form.cleaned_data["languages"]] == ["fr"]


def test_widget_renders_labels_and_htmx() -> None:
    html = str(LanguagesForm(initial={"languages": ["fr"]})["languages"])
    assert 'for="id_languages__q"' in html
    assert 'id="id_languages__q"' in html
    assert 'hx-get="/reference/languages/suggest/?field=languages&amp;multiple=1"' in html
    assert 'aria-controls="id_languages_suggestions"' in html
    assert 'value="fr" checked' in html


def test_value_from_posted_garbage_is_harmless() -> None:
    form = _form(languages=["not-a-code"], languages__q="")
    assert not form.is_valid()
    str(form["languages"])  # renders without error


def test_suggestions_view_fragment_and_page(client: Client) -> None:
    url = reverse("core:language_suggestions")
    fragment = client.get(
        url,
        {"field": "languages", "languages__q": "fren", "languages": "en"},
        HTTP_HX_REQUEST="true",
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert 'type="checkbox" name="languages" value="fr"' in html
    single = client.get(
        url, {"field": "x", "x__q": "fren", "multiple": "0"}, HTTP_HX_REQUEST="true"
    )
    assert 'type="radio" name="x" value="fr"' in single.content.decode()
    page = client.get(url, {"q": "fren"})
    assert "<html" in page.content.decode()
    assert "French" in page.content.decode()
    # Chosen ones are not suggested again.
    chosen = client.get(
        url,
        {"field": "languages", "languages__q": "fren", "languages": "fr"},
        HTTP_HX_REQUEST="true",
    )
    assert 'value="fr"' not in chosen.content.decode()


def test_picked_is_what_the_widget_reads() -> None:
    widget = LanguagesForm().fields["languages"].widget
    data = QueryDict("languages=en&languages=en&languages__q=%20fr%20")
    assert widget.value_from_datadict(data, {}, "languages") == Picked(("en",), "fr")


def test_peer_suggestions_never_show_hidden_peers(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.outsider.user)
    url = reverse("peers:suggestions")
    html = client.get(url, {"field": "peer_a", "peer_a__q": "member"}, HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert "Member Platform" in text
    assert "Member Private" not in text  # private profile
    assert "Member Alliance" not in text  # alliance-level, shares no alliance with outsider
    anonymous = Client().get(url, {"q": "o"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Outsider Public" in anonymous
    assert "Outsider Alliance" not in anonymous and "Member Platform" not in anonymous


def test_organisation_suggestions(world: SimpleNamespace, client: Client) -> None:
    html = client.get(
        reverse("organisations:suggestions"),
        {"field": "organisation", "organisation__q": "county", "multiple": "0"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Nakuru County" in html and "Kisumu County" in html
    assert 'type="radio" name="organisation"' in html


class _HelpedForm(forms.Form):
    languages = PickerMultipleField(
        Language.objects.all(), kind=LANGUAGES, to_field_name="code", help_text="Yours."
    )
    funders = PickerMultipleField(Language.objects.all(), kind=LANGUAGES, required=False)


def _search_input(html: str, name: str) -> str:
    start = html.index(f'<input type="search" name="{name}__q"')
    return html[start : html.index(">", start)]


def test_a_required_picker_is_marked_so_before_saving() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("includes/form.html", {"form": _HelpedForm()})
    search = _search_input(html, "languages")
    # Marked required like the form's text fields (for assistive technology), but without
    # the ``required`` attribute: a form whose languages are all ticked has the text empty.
    assert 'aria-required="true"' in search
    assert " required" not in search
    assert 'aria-describedby="id_languages_hint id_languages_helptext"' in search
    assert "aria-invalid" not in search
    assert "aria-required" not in _search_input(html, "funders")


def test_a_pickers_error_shows_inside_its_box_below_its_help() -> None:
    from django.template.loader import render_to_string

    form = _HelpedForm(QueryDict("languages__q="))
    assert not form.is_valid()
    html = render_to_string("includes/form.html", {"form": form})
    field = html[html.index('<div class="field invalid">') :]
    field = field[: field.index("</fieldset>")]
    # Like the other fields: the control, its help text, then the error; all in the box.
    assert field.index('id="id_languages__q"') < field.index('id="id_languages_helptext"')
    assert field.index('id="id_languages_helptext"') < field.index('id="id_languages_error"')
    assert "Choose at least one: this field is required." in field
    search = _search_input(html, "languages")
    assert 'aria-invalid="true"' in search
    assert "id_languages_error" in search


def test_suggestions_say_when_more_match_than_are_listed(client: Client) -> None:
    from peerlearn.core.pickers import SUGGESTIONS

    url = reverse("core:language_suggestions")
    # "a" is in the names of far more languages than the list holds.
    many = client.get(url, {"field": "languages", "languages__q": "a"}, HTTP_HX_REQUEST="true")
    html = many.content.decode()
    assert html.count('type="checkbox"') == SUGGESTIONS
    assert f"Only the first {SUGGESTIONS} matches are listed: type more of the name." in html
    few = client.get(url, {"field": "languages", "languages__q": "fren"}, HTTP_HX_REQUEST="true")
    assert "Only the first" not in few.content.decode()


def test_the_form_says_when_more_match_than_are_listed_without_javascript() -> None:
    """A typed text that matches more than the list holds comes back with the same note
    the suggestions give as one types."""
    many = _form(languages__q="a")
    assert not many.is_valid()
    html = str(many["languages"])
    assert f"Only the first {SUGGESTIONS} matches are listed: type more of the name." in html
    assert html.count('name="languages" value=') == SUGGESTIONS
    few = _form(languages__q="Fren")
    assert "Only the first" not in str(few["languages"])
