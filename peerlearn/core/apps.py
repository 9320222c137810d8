from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    # The database cache (the default shared cache, see settings.CACHES) needs its table;
    # `createcachetable` makes it when missing and does nothing otherwise.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "peerlearn.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from peerlearn.core import checks  # noqa: F401 - registers the system checks
        from peerlearn.core.requestid import install_log_record_factory
        from peerlearn.core.required import install_required_messages

        install_log_record_factory()
        install_required_messages()
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="core-cache-table")
