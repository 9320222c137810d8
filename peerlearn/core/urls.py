from django.urls import path

from peerlearn.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
