from django.urls import path

from peerlearn.privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("<int:user_id>/data.zip", views.download, name="download"),
    path("<int:user_id>/erase/", views.erase, name="erase"),
]
