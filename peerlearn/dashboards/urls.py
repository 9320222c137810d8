from django.urls import path

from peerlearn.dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
    path("facilitation/", views.facilitator_dashboard, name="facilitator_dashboard"),
]
