from datetime import datetime
from enum import StrEnum
from typing import Any

from ninja import Field, Schema

from peerlearn.discussions.models import BODY_MAX, REASON_MAX, SUMMARY_MAX, TITLE_MAX

MAX_ID = 2**63 - 1


class TopicLevel(StrEnum):
    PLATFORM = "platform"
    PUBLIC = "public"


class ThreadFiltersIn(Schema):
    alliance: str = Field(
        "", max_length=80, description="An alliance's slug: only its threads (empty: all)."
    )


class ThreadIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(min_length=1, max_length=BODY_MAX, description="Markdown.")


class AllianceThreadIn(ThreadIn):
    alliance: str = Field(min_length=1, max_length=80, description="The alliance's slug.")


class TopicIn(ThreadIn):
    visibility: TopicLevel = TopicLevel.PLATFORM


class PostIn(Schema):
    body: str = Field(min_length=1, max_length=BODY_MAX, description="Markdown.")
    reply_to: int | None = Field(None, ge=1, le=MAX_ID)


class HideIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class FlagIn(Schema):
    value: bool


class SummaryIn(Schema):
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX, description="Markdown.")


class ThreadListOut(Schema):
    id: int
    title: str
    alliance: str | None = Field(description="The alliance's slug; none for a topic.")
    visibility: str
    pinned: bool
    locked: bool
    created_at: datetime
    last_post_at: datetime

    @staticmethod
    def resolve_alliance(obj: Any) -> str | None:
        return obj.alliance.slug if obj.alliance_id else None


class ThreadOut(Schema):
    id: int
    title: str
    alliance: str | None = Field(description="The alliance's slug; none for a topic.")
    visibility: str
    pinned: bool
    locked: bool
    created_at: datetime
    last_post_at: datetime
    summary: str = Field(description="The moderators' summary (Markdown), or empty.")
    summary_html: str
    insight_id: int | None = Field(description="The insight the summary became, if shown.")


class PostOut(Schema):
    id: int
    thread_id: int
    author: str | None
    reply_to: int | None
    created_at: datetime
    edited: bool
    hidden: bool
    deleted: bool
    hidden_reason: str | None = Field(description="For moderators and the author only.")
    body: str | None = Field(description="The Markdown text; none when hidden or deleted.")
    body_html: str | None = Field(description="The text, rendered and sanitised.")


class ThreadDetailOut(ThreadOut):
    posts: list[PostOut]
    can_post: bool
    can_moderate: bool


class InsightRefOut(Schema):
    insight_id: int
