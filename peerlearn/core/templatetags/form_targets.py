"""Form fields as a person reads them: where an error summary's link leads (the control a
person fixes), and a label that says when a field may be left empty."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def error_target(field: forms.BoundField) -> str:
    """The id of the field's first control: its labelled input, the first of a set of radio
    buttons or checkboxes (whose group has no labelled input), else its own id.

    >>> class F(forms.Form):
    ...     name = forms.CharField()
    ...     role = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    >>> form = F()
    >>> error_target(form["name"]), error_target(form["role"])
    ('id_name', 'id_role_0')
    """
    if field.id_for_label:
        return str(field.id_for_label)
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        subwidgets = field.subwidgets
        if subwidgets:
            return str(subwidgets[0].id_for_label)
    return str(field.auto_id)


@register.filter
def field_label(field: forms.BoundField) -> str:
    """The field's label, with "(optional)" after it when the field may be left empty, so
    a person knows before sending which fields the form needs. A lone checkbox is not
    marked (leaving it unticked is an answer), nor a label that says so already, nor any
    field of a form that needs none (a filter, say: there is nothing to tell apart), nor a
    field marked ``needed`` (``core.forms.needed``: taken empty by the form, but answered
    elsewhere on the page, needed for some answers, or required by the service).

    >>> class F(forms.Form):
    ...     name = forms.CharField()
    ...     note = forms.CharField(required=False)
    ...     agree = forms.BooleanField(required=False)
    >>> form = F()
    >>> str(field_label(form["name"])), str(field_label(form["agree"]))
    ('Name', 'Agree')
    >>> str(field_label(form["note"]))
    'Note <span class="optional">(optional)</span>'
    >>> class Filter(forms.Form):
    ...     q = forms.CharField(label="Search", required=False)
    >>> str(field_label(Filter()["q"]))
    'Search'
    >>> from peerlearn.core.forms import needed
    >>> class G(forms.Form):
    ...     name = forms.CharField()
    ...     reason = needed(forms.CharField(required=False))
    >>> str(field_label(G()["reason"]))
    'Reason'
    """
    label = str(field.label or "")
    if field.field.required or isinstance(field.field.widget, forms.CheckboxInput):
        return label
    if getattr(field.field, "needed", False):
        return label
    if not any(f.required for f in field.form.fields.values()):
        return label
    marker = _("(optional)")
    if marker in label:
        return label
    return SafeString(format_html('{} <span class="optional">{}</span>', label, marker))


@register.filter
def field_label_tag(field: forms.BoundField) -> str:
    """The field's ``<label>`` element with :func:`field_label`'s words."""
    return SafeString(field.label_tag(contents=field_label(field)))
