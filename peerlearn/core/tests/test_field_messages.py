"""Every form's fields say how to write what they could not read, by kind of field."""

from __future__ import annotations

from django import forms

from peerlearn.core.required import INVALID_MESSAGES


class _Everything(forms.Form):
    day = forms.DateField()
    when = forms.DateTimeField()
    at = forms.TimeField()
    count = forms.IntegerField()
    amount = forms.DecimalField()
    share = forms.FloatField()
    email = forms.EmailField()
    link = forms.URLField(assume_scheme="https")
    own = forms.DateField(error_messages={"invalid": "A field's own message stays."})


def test_a_value_a_field_cannot_read_gets_an_example_of_one_it_can() -> None:
    form = _Everything(
        data={
            "day": "14/03/2027x",
            "when": "soon",
            "at": "noonish",
            "count": "twelve",
            "amount": "12,5,0",
            "share": "half",
            "email": "amina at example",
            "link": "not a link",
            "own": "never",
        }
    )
    assert not form.is_valid()
    assert form.errors == {
        "day": ["Enter a date such as 2027-03-14."],
        "when": ["Enter a date and time such as 2027-03-14 09:30."],
        "at": ["Enter a time such as 09:30."],
        "count": ["Enter a whole number, such as 12."],
        "amount": ["Enter a number, such as 12.5."],
        "share": ["Enter a number, such as 12.5."],
        "email": ["Enter an e-mail address such as name@example.org."],
        "link": ["Enter a web address such as https://example.org."],
        "own": ["A field's own message stays."],
    }
    assert set(INVALID_MESSAGES) >= {type(f) for n, f in form.fields.items() if n != "own"}


def test_model_forms_get_the_same_messages() -> None:
    from peerlearn.activities.models import Activity

    form_class = forms.modelform_factory(Activity, fields=["starts_at", "title"])
    form = form_class(data={"starts_at": "tomorrow", "title": "x" * 500})
    assert not form.is_valid()
    assert form.errors["starts_at"] == ["Enter a date and time such as 2027-03-14 09:30."]
    assert form.errors["title"][0].startswith("Shorten this to ")


def test_a_date_field_is_written_in_iso_whatever_the_language() -> None:
    """The browser's date field reads only ISO dates: "28/08/2026" (French) showed empty,
    and saving the form as it stood erased the date."""
    from datetime import date

    from django.utils import translation

    from peerlearn.core.forms import DateInput

    class _Dated(forms.Form):
        day = forms.DateField(widget=DateInput())

    with translation.override("fr"):
        html = str(_Dated(initial={"day": date(2026, 8, 28)})["day"])
    assert 'type="date"' in html and 'value="2026-08-28"' in html


def test_every_browser_date_field_of_the_platform_is_written_in_iso() -> None:
    """No form of the platform builds a date input of its own that the language would
    reformat."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    own = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and '"type": "date"' in path.read_text(encoding="utf-8")
    ]
    assert own == []


def test_a_lone_box_stands_before_its_label_without_a_colon() -> None:
    from django.template.loader import render_to_string

    class _Ticked(forms.Form):
        digest = forms.BooleanField(label="E-mail me a weekly digest", required=False)
        name = forms.CharField(label="Name")

    html = render_to_string("includes/form.html", {"form": _Ticked()})
    box = html.index('type="checkbox"')
    label = html.index('<label for="id_digest">E-mail me a weekly digest</label>')
    assert box < label
    assert "E-mail me a weekly digest:" not in html
    assert '<label for="id_name">Name:</label>' in html


def test_lengths_and_choices_say_what_to_do() -> None:
    class _Limited(forms.Form):
        q = forms.CharField(max_length=5)
        code = forms.CharField(min_length=3)
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
        kinds = forms.MultipleChoiceField(choices=[("a", "A")])

    form = _Limited(data={"q": "x" * 9, "code": "ab", "kind": "bogus", "kinds": ["zz"]})
    assert not form.is_valid()
    assert form.errors == {
        "q": ["Shorten this to 5 characters or fewer (it has 9)."],
        "code": ["Write at least 3 characters (it has 2)."],
        "kind": ["“bogus” is not one of the choices: choose one from the list."],
        "kinds": ["“zz” is not one of the choices: choose from the list."],
    }


def test_a_numbers_bounds_say_what_to_enter() -> None:
    class _Bounded(forms.Form):
        acceptances = forms.IntegerField(min_value=2)
        share = forms.FloatField(max_value=1)
        cost = forms.DecimalField(min_value=0)

    form = _Bounded(data={"acceptances": "1", "share": "1.5", "cost": "-3"})
    assert not form.is_valid()
    assert form.errors == {
        "acceptances": ["Enter 2 or more."],
        "share": ["Enter 1 or less."],
        "cost": ["Enter 0 or more."],
    }
