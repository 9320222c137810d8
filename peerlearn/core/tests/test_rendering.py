"""What makes pages cheaper to render must not change them: ``{% url %}`` answered from
memory gives the URLs ``reverse`` gives, and the select widget written in place gives
Django's HTML."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from peerlearn.core.templatetags import cached_i18n, cached_url


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_url_tag_is_the_remembering_one_in_every_template() -> None:
    template = Template("{% url 'home' %}")
    assert isinstance(template.nodelist[0], cached_url.RememberedURLNode)


def test_remembered_urls_are_the_urls_reverse_gives() -> None:
    cached_url._urls.clear()
    for _ in range(2):  # worked out, then remembered
        assert render("{% url 'peers:profile' 7 %}") == reverse("peers:profile", args=[7])
        assert render("{% url 'peers:profile' peer_id=8 %}") == reverse(
            "peers:profile", kwargs={"peer_id": 8}
        )
        assert render("{% url 'peers:profile' n %}", n=9) == reverse("peers:profile", args=[9])
    assert render("{% url 'peers:profile' 7 as link %}[{{ link }}]") == (
        f"[{reverse('peers:profile', args=[7])}]"
    )


def test_a_url_follows_the_script_prefix_it_is_served_under() -> None:
    plain = render("{% url 'peers:directory' %}")
    try:
        set_script_prefix("/under/")
        assert render("{% url 'peers:directory' %}") == "/under/" + plain.lstrip("/")
    finally:
        set_script_prefix("/")
    assert render("{% url 'peers:directory' %}") == plain


def test_a_url_follows_the_language() -> None:
    with translation.override("fr"):
        french = render("{% url 'peers:directory' %}")
        assert french == reverse("peers:directory")


def test_an_unknown_name_still_fails_and_is_never_remembered() -> None:
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-view' %}")
    assert render("{% url 'no-such-view' as link %}[{{ link }}]") == "[]"
    assert not any(key[0] == "no-such-view" for key in cached_url._urls)


def test_other_arguments_are_reversed_every_time() -> None:
    class Id:
        def __str__(self) -> str:
            return "12"

    cached_url._urls.clear()
    assert render("{% url 'peers:profile' thing %}", thing=Id()) == reverse(
        "peers:profile", args=[12]
    )
    assert cached_url._urls == {}


class Choices(forms.Form):
    one = forms.ChoiceField(
        choices=[("", "Any"), ("a", "A & B"), ("Group", [("g1", "G1"), ("g2", "<G2>")])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two")], required=False)
    disabled = forms.ChoiceField(choices=[("x", "X")], disabled=True)


@pytest.mark.parametrize("data", [None, {"one": "g2", "many": ["2"], "disabled": "x"}])
def test_select_widgets_render_the_html_django_renders(data: dict[str, object] | None) -> None:
    ours = Choices(data)
    django_own = Choices(data, renderer=DjangoTemplates())
    for field in ("one", "many", "disabled"):
        assert str(ours[field]) == str(django_own[field])
    assert "selected>&lt;G2&gt;</option>" in str(Choices({"one": "g2"})["one"])


# --- {% translate %} of a constant text, answered from memory --------------------------


def django_translate(source: str, **context: object) -> str:
    """``source`` rendered with Django's own i18n library (not the remembering one)."""
    from django.template import Engine

    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return engine.from_string(source).render(Context(context))


TRANSLATED = [
    '{% load i18n %}{% translate "Peers" %}',
    "{% load i18n %}{% trans 'Search' %}",
    '{% load i18n %}{% translate ":" context "before a colon-introduced detail" %}',
    '{% load i18n %}{% translate "Peers" noop %}',
    '{% load i18n %}{% translate "Peers" as label %}[{{ label }}]',
    '{% load i18n %}{% translate "Peers"|upper %}',
    '{% load i18n %}{% translate "50% <b>done</b>" %}',
    "{% load i18n %}{% translate text %}",
    '{% load i18n %}{% translate "Search" context where %}',
]


@pytest.mark.parametrize("source", TRANSLATED)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_translations_are_the_ones_django_gives(source: str, language: str) -> None:
    cached_i18n._texts.clear()
    with translation.override(language):
        expected = django_translate(source, text="Peers", where="a place")
        for _ in range(2):  # translated, then remembered
            assert render(source, text="Peers", where="a place") == expected


def test_the_translate_tag_is_the_remembering_one_and_follows_the_language() -> None:
    template = Template('{% load i18n %}{% translate "Peers" %}')
    assert isinstance(template.nodelist[-1], cached_i18n.RememberedTranslateNode)
    cached_i18n._texts.clear()
    with translation.override("fr"):
        assert template.render(Context()) == "Pairs"
    with translation.override("en"):
        assert template.render(Context()) == "Peers"
    with translation.override("fr"):
        assert template.render(Context()) == "Pairs"


def test_only_constant_texts_are_remembered() -> None:
    cached_i18n._texts.clear()
    render("{% load i18n %}{% translate text %}{% translate 'Peers'|upper %}", text="Search")
    assert not cached_i18n._texts
    render('{% load i18n %}{% translate "Peers" %}')
    assert [key[0] for key in cached_i18n._texts] == ["Peers"]


def test_a_text_renders_as_django_renders_it_with_and_without_escaping() -> None:
    """A page and a plain-text e-mail ({% autoescape off %}) each get what Django gives
    them, whichever was rendered first."""
    cached_i18n._texts.clear()
    page = '{% load i18n %}{% translate "Don\'t <wait>" %}'
    mail = '{% load i18n %}{% autoescape off %}{% translate "Don\'t <wait>" %}{% endautoescape %}'
    for _ in range(2):
        assert render(page) == django_translate(page)
        assert render(mail) == django_translate(mail)
    cached_i18n._texts.clear()
    for _ in range(2):
        assert render(mail) == django_translate(mail)
        assert render(page) == django_translate(page)
