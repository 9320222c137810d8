from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peerlearn.organisations.models import Organisation
from peerlearn.organisations.services import merge_summary, organisation_merge


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "acronym", "type", "country"]
    list_filter = ["type", "country__region"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country"]
    actions = ["merge_organisations"]

    @admin.action(description=_("Merge the selected organisations into the oldest of them"))
    def merge_organisations(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        chosen = list(queryset.order_by("created_at", "id"))
        if len(chosen) < 2:
            self.message_user(
                request, _("Select two organisations or more to merge."), messages.WARNING
            )
            return
        keep, duplicates = chosen[0], chosen[1:]
        moved = organisation_merge(keep=keep, duplicates=duplicates, by=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            _("Merged %(n)s organisation(s) into %(keep)s. Moved: %(moved)s.")
            % {"n": len(duplicates), "keep": keep, "moved": merge_summary(moved)},
            messages.SUCCESS,
        )
