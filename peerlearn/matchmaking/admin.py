from django.contrib import admin

from peerlearn.matchmaking.models import (
    CallApplication,
    ExcludedPair,
    MatchingRun,
    OpenCall,
    Proposal,
    ProposalMember,
)


class ProposalInline(admin.TabularInline[Proposal, MatchingRun]):
    model = Proposal
    extra = 0
    fields = ("position", "score", "language", "status", "alliance")
    readonly_fields = fields
    can_delete = False


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin[MatchingRun]):
    list_display = ("id", "kind", "source", "status", "created_by", "pool_size", "created_at")
    list_filter = ("kind", "source", "status")
    raw_id_fields = ("created_by", "pool_alliance", "pool_call", "target_alliance")
    inlines = [ProposalInline]


class ProposalMemberInline(admin.TabularInline[ProposalMember, Proposal]):
    model = ProposalMember
    extra = 0
    raw_id_fields = ("peer",)
    fields = ("peer", "role", "response", "responded_at", "reason")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin[Proposal]):
    list_display = ("id", "run", "position", "score", "status", "alliance")
    list_filter = ("status",)
    raw_id_fields = ("run", "alliance")
    inlines = [ProposalMemberInline]


@admin.register(ExcludedPair)
class ExcludedPairAdmin(admin.ModelAdmin[ExcludedPair]):
    list_display = ("peer_a", "peer_b", "reason", "created_by", "created_at")
    list_filter = ("reason",)
    raw_id_fields = ("peer_a", "peer_b", "source_proposal", "created_by")


class CallApplicationInline(admin.TabularInline[CallApplication, OpenCall]):
    model = CallApplication
    extra = 0
    raw_id_fields = ("peer",)


@admin.register(OpenCall)
class OpenCallAdmin(admin.ModelAdmin[OpenCall]):
    list_display = ("title", "theme", "closes_on", "visibility", "created_by")
    list_filter = ("visibility", "theme")
    raw_id_fields = ("created_by",)
    inlines = [CallApplicationInline]
