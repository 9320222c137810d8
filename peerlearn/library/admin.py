from django.contrib import admin

from peerlearn.library.models import Case, CaseLesson, Resource, Tag


class LessonInline(admin.TabularInline[CaseLesson, Case]):
    model = CaseLesson
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["title", "status", "visibility", "alliance", "updated_at"]
    list_filter = ["status", "visibility", "themes"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["themes", "countries", "tags"]
    raw_id_fields = ["author", "reviewed_by", "alliance", "initiative"]
    inlines = [LessonInline]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = ["title", "type", "status", "visibility", "alliance", "updated_at"]
    list_filter = ["type", "status", "visibility", "themes"]
    search_fields = ["title", "description"]
    filter_horizontal = ["themes", "tags"]
    raw_id_fields = ["author", "reviewed_by", "alliance", "case"]
    readonly_fields = ["file", "file_name", "file_size"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ["name"]
