from django.urls import path

from peerlearn.notifications import views

app_name = "notifications"

urlpatterns = [path("", views.needs_page, name="page")]
