from django.urls import path

from peerlearn.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.my_activities, name="mine"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("feeds/<str:token>/calendar.ics", views.feed_person, name="feed_person"),
    path("feeds/<str:token>/<slug:slug>.ics", views.feed_alliance, name="feed_alliance"),
    path("alliance/<slug:slug>/", views.alliance_activities, name="alliance"),
    path("alliance/<slug:slug>/new/", views.activity_create, name="create"),
    path("alliance/<slug:slug>/plans/new/", views.plan_create, name="plan_create"),
    path("<int:activity_id>/", views.activity_page, name="detail"),
    path("<int:activity_id>/activity.ics", views.activity_ics, name="ics"),
    path("<int:activity_id>/edit/", views.activity_edit, name="edit"),
    path("<int:activity_id>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:activity_id>/attendance/", views.activity_attendance, name="attendance"),
    path("<int:activity_id>/outputs/", views.activity_output_add, name="output_add"),
    path("<int:activity_id>/feedback/", views.activity_feedback, name="feedback"),
    path("plans/<int:plan_id>/", views.plan_page, name="plan"),
    path("plans/<int:plan_id>/actions/", views.plan_action_add, name="action_add"),
    path("actions/<int:action_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:milestone_id>/", views.milestone_update, name="milestone_update"),
]
