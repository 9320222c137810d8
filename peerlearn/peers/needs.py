"""What needs you, from peers: for administrators, the people peers named as their
organisation's authoriser, to invite."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from peerlearn.access.peers import authoriser_asks_to_invite_for
from peerlearn.accounts.models import User
from peerlearn.notifications.needs import Need
from peerlearn.peers.selectors import authoriser_ask_invite_path


def _authorisers_to_invite(user: User) -> Iterable[Need]:
    asks = (
        authoriser_asks_to_invite_for(user)
        .select_related("peer__user__organisation")
        .order_by("asked_at", "id")
    )
    for ask in asks:
        yield Need(
            kind="authoriser_ask",
            text=_("Invite %(name)s, named by %(peer)s as the authoriser of %(organisation)s")
            % {
                "name": ask.name,
                "peer": ask.peer.user.name,
                "organisation": ask.peer.user.organisation or _("their organisation"),
            },
            url=authoriser_ask_invite_path(ask),
            since=ask.asked_at,
        )


NEEDS: list[Callable[[User], Iterable[Need]]] = [_authorisers_to_invite]
