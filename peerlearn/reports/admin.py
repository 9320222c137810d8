from django.contrib import admin

from peerlearn.reports.models import PriorityAssessment


@admin.register(PriorityAssessment)
class PriorityAssessmentAdmin(admin.ModelAdmin[PriorityAssessment]):
    list_display = ["priority", "alliance", "completion", "early_results", "assessed_on"]
    list_filter = ["completion", "early_results"]
    raw_id_fields = ["alliance", "priority", "assessed_by"]
