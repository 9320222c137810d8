"""Where an error summary's link leads: the control a person fixes."""

from __future__ import annotations

from django import forms, template

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
