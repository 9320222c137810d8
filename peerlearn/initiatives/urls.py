from django.urls import path

from peerlearn.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_index, name="list"),
    path("propose/", views.initiative_propose_page, name="propose"),
    path("review/", views.initiative_review_list, name="review"),
    path("<slug:slug>/review/", views.initiative_review_page, name="review_one"),
    path("<slug:slug>/", views.initiative_page, name="detail"),
    path("<slug:slug>/propose-again/", views.initiative_resubmit_page, name="resubmit"),
]
