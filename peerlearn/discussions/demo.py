"""The discussions part of the demo: a public topic on collecting fees from small traders,
with a few posts, and a thread inside the Kenyan alliance (case 5 of the paper) on the
seasonal bus-park ticket, summarised by its facilitator. Seeding sends no e-mail and leaves
no notice (``notify=False``). Idempotent: each thread is found by its title."""

from __future__ import annotations

import datetime as dt

from peerlearn.access.discussions import alliances_for_threads, can_post_in
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.demo.data import kenya
from peerlearn.discussions import services
from peerlearn.discussions.models import Thread

TOPIC_TITLE = "Making fees easy to pay for small traders"
TOPIC_POSTS = (
    (
        "facilitator",
        "Many of you asked how other counties and cities lowered the cost of paying small "
        "fees. Share **one practice** that worked for you, and what it needed.",
    ),
    (
        "peer",
        "In Makueni we moved market fees to mobile money in 2019. Traders liked it; what "
        "made it work was a *single* paybill number for every fee, printed on each stall.",
    ),
    (
        "george.ouma",
        "Same in Kisumu for the bus park. @peer, did you keep cash for the first months? "
        "We had to, for the older traders.",
    ),
)
THREAD_TITLE = "Seasonal tickets: what would it take in our counties?"
THREAD_POSTS = (
    (
        "george.ouma",
        "Kisumu's matatu saccos now pay a seasonal ticket for the whole bus park. Before "
        "we meet in Nakuru: what would stop this in your county?",
    ),
    (
        "peer",
        "In Makueni the saccos are small. We would need to group them first, and the "
        "assembly would have to pass the fee in the Finance Act.",
    ),
    (
        "lilian.odhiambo",
        "The saccos agreed once enforcement stopped: fewer officers at the gate, fewer "
        "bribes. Start with one sacco that wants it.",
    ),
)
THREAD_SUMMARY = (
    "The members agreed that a seasonal ticket works where saccos are organised and "
    "enforcement at the gate stops. Makueni will first group its small saccos and ask the "
    "assembly for the fee in the next Finance Act; Kisumu shares its agreement template."
)


def _post_all(thread: Thread, posts: tuple[tuple[str, str], ...], today: dt.date) -> None:
    for username, body in posts[1:]:
        author = User.objects.filter(username=username).first()
        if author is not None and can_post_in(author, thread):
            services.post_create(thread=thread, author=author, body=body, notify=False)


def seed_demo(today: dt.date) -> None:
    facilitator = User.objects.filter(username="facilitator").first()
    if facilitator is None:
        return
    if not Thread.objects.filter(title=TOPIC_TITLE, alliance__isnull=True).exists():
        topic = services.topic_open(
            created_by=facilitator,
            title=TOPIC_TITLE,
            body=TOPIC_POSTS[0][1],
            visibility=Visibility.PUBLIC,
            notify=False,
        )
        _post_all(topic, TOPIC_POSTS, today)
        services.thread_pin_set(thread=topic, moderator=facilitator, pinned=True)
    alliance = LearningAlliance.objects.filter(slug=kenya.ALLIANCE_SLUG).first()
    starter = User.objects.filter(username=THREAD_POSTS[0][0]).first()
    if alliance is None or starter is None:
        return
    if not alliances_for_threads(starter).filter(id=alliance.id).exists():
        return
    if Thread.objects.filter(title=THREAD_TITLE, alliance=alliance).exists():
        return
    thread = services.thread_start(
        alliance=alliance,
        created_by=starter,
        title=THREAD_TITLE,
        body=THREAD_POSTS[0][1],
        notify=False,
    )
    _post_all(thread, THREAD_POSTS, today)
    services.thread_summarise(thread=thread, moderator=facilitator, summary=THREAD_SUMMARY)
