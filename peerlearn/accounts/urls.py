from django.urls import path

from peerlearn.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("invite/", views.invite, name="invite"),
    path("invite/<int:user_id>/send-again/", views.invitation_resend, name="invitation_resend"),
    path("me/", views.account, name="account"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("verify/send/", views.verification_send, name="verification_send"),
    path("verify/<str:token>/", views.email_verify_link, name="verify"),
]
