"""Matching in the platform: runs over a pool of peers, the proposals they produce, peers'
answers, pairs never to be proposed again, open calls peers apply to, and cached embeddings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility
from peerlearn.core.geography import language_name
from peerlearn.matching.methods import Method, method_spec


class RunKind(models.TextChoices):
    """The shapes of the paper's matching methods (§3, §4 "Focus on the individual")."""

    GROUPS = "groups", _("Learning groups (Type II)")
    PAIRS = "pairs", _("Pairs (Type I)")
    TEAM = "team", _("A problem-focused team")


class PoolSource(models.TextChoices):
    THEME = "theme", _("Peers working on a theme")
    ALLIANCE = "alliance", _("An alliance's candidates")
    CALL = "call", _("Applicants to an open call")
    PEERS = "peers", _("All peers I can see")


class RunStatus(models.TextChoices):
    # Queued and running: the background worker has yet to finish the matching; failed: it
    # could not (the reason is kept).
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Matching")
    FAILED = "failed", _("Failed")
    # Draft: only the facilitator sees the proposals, and may withdraw some, before
    # peers are asked.
    DRAFT = "draft", _("Draft — under review")
    PROPOSED = "proposed", _("Proposed to peers")
    CLOSED = "closed", _("Closed")


class RunStage(models.TextChoices):
    """Where a queued or running matching has got to."""

    QUEUED = "queued", _("Waiting for a worker")
    POOL = "pool", _("Gathering the pool")
    ENCODING = "encoding", _("Reading the statements")
    SOLVING = "solving", _("Forming the proposals")
    EXPLAINING = "explaining", _("Explaining each proposal")
    SAVING = "saving", _("Saving the proposals")
    DONE = "done", _("Done")


class OpenCall(models.Model):
    """A call for peers to put themselves forward on a theme (INASP's call, case 4)."""

    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        "core.Theme", on_delete=models.PROTECT, related_name="open_calls", verbose_name=_("theme")
    )
    description = models.TextField(_("description"))
    closes_on = models.DateField(
        _("closes on"), null=True, blank=True, help_text=_("Leave empty to keep it open.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open_calls"
    )
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PLATFORM
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Peers may still apply: no closing date, or not past it."""
        return self.closes_on is None or self.closes_on >= timezone.localdate()


class CallApplication(models.Model):
    call = models.ForeignKey(OpenCall, on_delete=models.CASCADE, related_name="applications")
    peer = models.ForeignKey(
        "peers.PeerProfile", on_delete=models.CASCADE, related_name="call_applications"
    )
    motivation = models.TextField(_("motivation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "peer"], name="call_application_once")
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.peer} → {self.call}"


class CallInvitation(models.Model):
    """A facilitator's invitation, from a peer's profile, to apply to an open call they run.
    It waits among the peer's needs until they apply or the call closes."""

    call = models.ForeignKey(OpenCall, on_delete=models.CASCADE, related_name="invitations")
    peer = models.ForeignKey(
        "peers.PeerProfile", on_delete=models.CASCADE, related_name="call_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "peer"], name="call_invitation_once")
        ]
        verbose_name = _("invitation to an open call")
        verbose_name_plural = _("invitations to open calls")

    def __str__(self) -> str:
        return f"{self.peer} → {self.call}"


class MatchingRun(models.Model):
    """One matching over a pool: what was asked, what the solver found, what became of it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matching_runs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    # Progress of the background task while queued or running; see matchmaking/tasks.py.
    stage = models.CharField(
        _("stage"), max_length=12, choices=RunStage.choices, default=RunStage.DONE
    )
    percent = models.PositiveSmallIntegerField(_("percent done"), default=100)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # While it encodes the texts of its pool not cached yet (stage "encoding"): how many of
    # how many, shown on its page.
    encoding_done = models.PositiveIntegerField(_("texts encoded"), default=0)
    encoding_total = models.PositiveIntegerField(_("texts to encode"), default=0)
    # {"code": "stopped" | "invalid" | "error", "messages": [...]}: "invalid" keeps the
    # messages, written in the facilitator's language; the others are worded when shown.
    failure = models.JSONField(_("why it failed"), default=dict, blank=True)
    time_limit = models.FloatField(_("time limit in seconds"), null=True, blank=True)
    # The form's submission token: a form sent twice starts one run.
    token = models.CharField(max_length=64, blank=True)

    source = models.CharField(_("pool"), max_length=10, choices=PoolSource.choices)
    theme = models.ForeignKey(
        "core.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    pool_alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alliance whose candidates are matched"),
    )
    pool_call = models.ForeignKey(
        OpenCall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("open call"),
    )
    filters = models.JSONField(_("pool filters"), default=dict, blank=True)
    pool_size = models.PositiveIntegerField(_("peers in the pool"), default=0)

    rules = models.JSONField(_("rules"), default=dict, blank=True)
    # How peers are matched (peerlearn.matching.methods.Method); empty on runs stored before
    # methods were named, which matched with the weights of that time.
    method = models.CharField(
        _("method"),
        max_length=40,
        blank=True,
        choices=[(m.value, _(method_spec(m).label)) for m in Method],
    )
    # Score weights the facilitator changed on top of the method's (name: value).
    weights = models.JSONField(_("changed score weights"), default=dict, blank=True)
    excluded_count = models.PositiveIntegerField(_("excluded pairs applied"), default=0)
    problem = models.TextField(_("problem"), blank=True)

    target_alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alliance to extend"),
    )
    alliance_name = models.CharField(_("name for the new alliance"), max_length=200, blank=True)
    # Set when the proposals are sent: how many acceptances a proposal needs to be confirmed
    # (None: the default of ``acceptances_needed``).
    min_accepted = models.PositiveSmallIntegerField(
        _("acceptances needed to confirm"), null=True, blank=True
    )

    objective = models.FloatField(_("objective"), default=0.0)
    bound = models.FloatField(_("upper bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    optimal = models.BooleanField(_("proven optimal"), default=False)
    # Large pools are searched in blocks of similar peers: the gap to the best arrangement
    # within those blocks (None on pools small enough to search whole).
    block_gap = models.FloatField(_("gap within the blocks"), null=True, blank=True)
    solver = models.CharField(_("solver"), max_length=60, blank=True)
    encoder = models.CharField(_("text encoder"), max_length=60, blank=True)
    seconds = models.FloatField(_("seconds"), default=0.0)
    diagnostics = models.JSONField(_("diagnostics"), default=list, blank=True)
    unmatched = models.JSONField(_("unmatched peers"), default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="run_status_heartbeat")]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "token"],
                condition=~models.Q(token=""),
                name="run_token_once",
            )
        ]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The run's name wherever it is listed or headed, in the reader's language
        ("Pairs (Type I) #3", "Paires (type I) nº 3")."""
        return gettext("%(kind)s #%(id)s") % {"kind": self.get_kind_display(), "id": self.pk}

    @property
    def failure_messages(self) -> list[str]:
        """Why the run failed, in the reader's language (empty unless it failed)."""
        code = self.failure.get("code") if isinstance(self.failure, dict) else None
        if code == "stopped":
            return [gettext("The worker stopped while matching; run it again.")]
        if code == "invalid":
            return [str(m) for m in self.failure.get("messages") or []]
        if self.status == RunStatus.FAILED:
            return [
                gettext(
                    "The matching stopped on an unexpected error; run it again, and tell the "
                    "platform's administrators if it happens again."
                )
            ]
        return []

    @property
    def in_progress(self) -> bool:
        """Queued or running: the page refreshes until the worker is done."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


def cannot_go_ahead(run: MatchingRun, proposal_size: int, declined: int) -> bool:
    """Whether too many of a proposal's members declined for enough of the others ever to
    accept (a pair one of whom declined)."""
    return proposal_size - declined < acceptances_needed(run, proposal_size)


def acceptances_needed(run: MatchingRun, proposal_size: int) -> int:
    """How many members must accept before a proposal can be confirmed: the number the
    facilitator set when sending, or by default both of a pair, the group's minimum size for
    learning groups, and more than half of a team (a team is formed around one problem and
    can start without everyone). Never more than the proposal's members, never under two."""
    if run.min_accepted:
        wanted = run.min_accepted
    elif run.kind == RunKind.GROUPS:
        wanted = int(run.rules.get("min_size") or 2)
    elif run.kind == RunKind.TEAM:
        wanted = proposal_size // 2 + 1
    else:
        wanted = 2
    return max(2, min(wanted, proposal_size))


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A group, pair or team the solver proposes, with the reasons it gave."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveIntegerField(_("number"))
    score = models.FloatField(_("score"))
    language = models.CharField(_("working language"), max_length=8, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matching_proposals",
        verbose_name=_("learning alliance"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when the proposals are sent; members who have not answered are reminded before it.
    reply_by = models.DateField(_("reply by"), null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="proposal_position_once")
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.run} · {self.position}"

    @property
    def language_name(self) -> str:
        """The working language's name in the reader's language."""
        return language_name(self.language) if self.language else ""


class ProposalRole(models.TextChoices):
    SEEKER = "seeker", _("Learns (seeker)")
    PROVIDER = "provider", _("Shares experience (provider)")
    MEMBER = "member", _("Member")


class MemberResponse(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # Not a decline: the peer may still accept while the proposal is open, and no pair is
    # excluded.
    NOT_NOW = "not_now", _("Not now")


#: What other members read for a decline or a "not now": never which, nor why.
NOT_JOINING = "not_joining"


class DeclineReason(models.TextChoices):
    """Why a peer declines. Only a conflict with a member keeps them apart in later
    matchings, and only from the members they name."""

    NOT_INTERESTED = "not_interested", _("This group is not what I am looking for")
    CONFLICT = "conflict", _("I have a conflict with a member")
    NO_TIME = "no_time", _("I have no time for this")


#: The "not what I am looking for" reason as the kind of proposal says it (a pair's peer
#: declines a partner, not a group); the stored code and the other reasons are the same.
_NOT_INTERESTED_BY_KIND = {
    RunKind.PAIRS: _("This partner is not what I am looking for"),
    RunKind.TEAM: _("This team is not what I am looking for"),
}


def decline_reason_label(reason: str, kind: str) -> str:
    """The words of decline reason ``reason`` for a proposal of run kind ``kind``."""
    if reason == DeclineReason.NOT_INTERESTED and kind in _NOT_INTERESTED_BY_KIND:
        return str(_NOT_INTERESTED_BY_KIND[RunKind(kind)])
    try:
        return str(DeclineReason(reason).label)
    except ValueError:
        return reason


def decline_reason_choices(kind: str) -> list[tuple[str, str]]:
    """The decline reasons offered to a member of a proposal of run kind ``kind``."""
    return [(value, decline_reason_label(value, kind)) for value in DeclineReason.values]


class ProposalMember(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="members")
    peer = models.ForeignKey(
        "peers.PeerProfile", on_delete=models.CASCADE, related_name="proposal_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=ProposalRole.choices)
    response = models.CharField(
        _("response"), max_length=10, choices=MemberResponse.choices, default=MemberResponse.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decline_reason = models.CharField(
        _("why they declined"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    # Set once, by whichever worker claims the reminder first: nobody is reminded twice.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    # Which statements entered the matcher for this peer: a peer reading the proposal sees
    # the explanation in full only if every one of them is visible to them too.
    challenge_ids = models.JSONField(default=list, blank=True)
    experience_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "peer"], name="proposal_member_once")
        ]
        verbose_name = _("proposed member")
        verbose_name_plural = _("proposed members")

    def __str__(self) -> str:
        return f"{self.peer} in {self.proposal}"


class ExclusionReason(models.TextChoices):
    DECLINED = "declined", _("A proposal was declined")
    CONFLICT = "conflict", _("Conflict of interest")
    OTHER = "other", _("Other")


class ExcludedPair(models.Model):
    """Two peers never to be proposed together again. Stored with the smaller id first so
    that each pair exists once."""

    peer_a = models.ForeignKey("peers.PeerProfile", on_delete=models.CASCADE, related_name="+")
    peer_b = models.ForeignKey("peers.PeerProfile", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=ExclusionReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source_proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="exclusions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["peer_a", "peer_b"], name="excluded_pair_once"),
            models.CheckConstraint(
                condition=models.Q(peer_a__lt=models.F("peer_b")),
                name="excluded_pair_canonical_order",
            ),
        ]
        verbose_name = _("excluded pair")
        verbose_name_plural = _("excluded pairs")

    def __str__(self) -> str:
        return f"{self.peer_a_id} × {self.peer_b_id}"


class EmbeddingVector(models.Model):
    """A text's embedding, keyed by the encoder's name and the text's hash: a text is encoded
    once and again only when it changes."""

    key = models.CharField(max_length=200, primary_key=True)
    dim = models.PositiveIntegerField()
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cached embedding")
        verbose_name_plural = _("cached embeddings")

    def __str__(self) -> str:
        return self.key
