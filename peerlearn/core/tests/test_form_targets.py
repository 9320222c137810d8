"""An error summary's links lead to a control the person can fix."""

from __future__ import annotations

import doctest

from peerlearn.core.templatetags import form_targets


def test_doctests() -> None:
    result = doctest.testmod(form_targets)
    assert result.attempted > 0 and result.failed == 0


def test_a_form_marks_the_fields_that_may_be_left_empty() -> None:
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        title = forms.CharField(label="Title")
        note = forms.CharField(label="Note", required=False)
        kind = forms.ChoiceField(
            label="Kind", choices=[("a", "A")], widget=forms.RadioSelect, required=False
        )
        agree = forms.BooleanField(label="Agree", required=False)
        gender = forms.CharField(label="Gender (optional)", required=False)

    html = render_to_string("includes/form.html", {"form": Form()})
    assert '<label for="id_title">Title:</label>' in html
    assert '<label for="id_note">Note <span class="optional">(optional)</span>:</label>' in html
    assert '<legend>Kind <span class="optional">(optional)</span></legend>' in html
    assert '<label for="id_agree">Agree</label>' in html  # a box left unticked is an answer
    assert html.count("(optional)") == 3  # "Gender (optional)" says it once
