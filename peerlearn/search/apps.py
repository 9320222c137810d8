from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "peerlearn.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from peerlearn.core.warm import web_process_started
        from peerlearn.search.tasks import search_warm_up

        web_process_started.connect(search_warm_up, dispatch_uid="search_warm_up")
