from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peerlearn.access.visibility import Visibility
from peerlearn.discussions.models import BODY_MAX, REASON_MAX, SUMMARY_MAX, TITLE_MAX

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, lists, links, > quotes. Mention someone by the name after "
    "@ beside their posts (e.g. @amina.diallo): they are told if they may read this "
    "discussion."
)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("First post"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class TopicForm(ThreadForm):
    visibility = forms.ChoiceField(
        label=_("Who reads it"),
        choices=[
            (Visibility.PLATFORM.value, Visibility.PLATFORM.label),
            (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
        ],
        initial=Visibility.PLATFORM.value,
        widget=forms.RadioSelect,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding it"),
        max_length=REASON_MAX,
        help_text=_(
            "Its author and the moderators read the reason; members see that it is hidden."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with the post"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only the discussion's moderators read it; the post's author is not told who "
            "reported it."
        ),
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=pgettext_lazy("a discussion's summary", "Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What did the discussion conclude? Markdown."),
    )
