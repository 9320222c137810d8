from django.urls import path

from peerlearn.demand import views

app_name = "demand"

urlpatterns = [path("", views.demand_page, name="page")]
