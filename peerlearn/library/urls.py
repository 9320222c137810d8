from django.urls import path

from peerlearn.library import views

app_name = "library"

urlpatterns = [
    path("", views.library_index, name="list"),
    path("review/", views.review_list, name="review"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/review/", views.case_review, name="case_review"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<int:resource_id>/", views.resource_page, name="resource"),
    path("resources/<int:resource_id>/download/", views.resource_file, name="download"),
    path("resources/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:resource_id>/review/", views.resource_review, name="resource_review"),
]
