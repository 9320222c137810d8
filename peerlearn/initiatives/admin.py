from django.contrib import admin

from peerlearn.initiatives.models import Initiative, InitiativeLink


class LinkInline(admin.TabularInline[InitiativeLink, Initiative]):
    model = InitiativeLink
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin[Initiative]):
    list_display = ["name", "type", "started", "visibility"]
    list_filter = ["type", "themes", "visibility"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["countries", "implementers", "funders", "themes"]
    inlines = [LinkInline]
