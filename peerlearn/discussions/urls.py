from django.urls import path

from peerlearn.discussions import views

app_name = "discussions"

urlpatterns = [
    path("", views.topics_page, name="topics"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("alliances/<slug:slug>/", views.alliance_page, name="alliance"),
    path("alliances/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("<int:thread_id>/", views.thread_page, name="thread"),
    path("<int:thread_id>/follow/", views.thread_follow, name="follow"),
    path("<int:thread_id>/lock/", views.thread_lock, name="lock"),
    path("<int:thread_id>/pin/", views.thread_pin, name="pin"),
    path("<int:thread_id>/summary/", views.thread_summary, name="summary"),
    path("<int:thread_id>/summary/publish/", views.thread_summary_publish, name="publish"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/hide/", views.post_hide, name="post_hide"),
    path("posts/<int:post_id>/show/", views.post_show, name="post_show"),
    path("posts/<int:post_id>/report/", views.post_report, name="post_report"),
    path("posts/<int:post_id>/keep/", views.post_keep, name="post_keep"),
]
