from django.contrib import admin

from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceOrganisation,
    AlliancePriority,
    LearningAlliance,
    StageChange,
)


class MembershipInline(admin.TabularInline[AllianceMembership, LearningAlliance]):
    model = AllianceMembership
    extra = 0
    autocomplete_fields = ["user"]


class OrganisationInline(admin.TabularInline[AllianceOrganisation, LearningAlliance]):
    model = AllianceOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class PriorityInline(admin.TabularInline[AlliancePriority, LearningAlliance]):
    model = AlliancePriority
    extra = 0


class StageChangeInline(admin.TabularInline[StageChange, LearningAlliance]):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_by", "note", "changed_at"]
    can_delete = False


@admin.register(LearningAlliance)
class LearningAllianceAdmin(admin.ModelAdmin[LearningAlliance]):
    list_display = ["name", "theme", "type", "stage", "visibility"]
    list_filter = ["stage", "type", "theme", "visibility"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["working_languages", "funders"]
    # Stages change on the alliance page, which records who moved it and why.
    readonly_fields = ["stage"]
    inlines = [OrganisationInline, MembershipInline, PriorityInline, StageChangeInline]
