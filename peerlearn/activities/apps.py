from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "peerlearn.activities"
    label = "activities"
    verbose_name = _("Activities and action plans")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from peerlearn.activities.middleware import reader_zone_on_sign_in

        user_logged_in.connect(reader_zone_on_sign_in, dispatch_uid="activities.reader_zone")
