"""Writing the demo to the database: in one transaction, idempotently, never in production.

Small, hand-written content (the demo sign-ins, the eight initiatives, the Kenya alliance and
the three smaller alliances) goes through the apps' services, so it is validated exactly as
a user's input would be. The few hundred synthetic peers and their challenges and
experiences are validated field by field with ``full_clean`` and written with
``bulk_create``, which keeps the whole load to a couple of seconds.

Idempotent: every object has a natural key (a user name, an initiative or alliance slug, an
organisation's name and country); what exists is left alone, and the things that belong to
a person (their challenges, experiences, authorisations) are created only together with
that person's profile. Running the command twice creates nothing the second time.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from auditlog.context import disable_auditlog, set_actor
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.accounts.services import user_create
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceStage,
    LearningAlliance,
    MemberRole,
    StageChange,
)
from peerlearn.alliances.services import (
    alliance_create,
    alliance_member_add,
    alliance_priority_add,
    alliance_stage_change,
)
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_export, audit_record
from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Country, Language, Theme
from peerlearn.core.reference import ensure_reference_data
from peerlearn.demo.data import kenya
from peerlearn.demo.data.alliances import ALLIANCES
from peerlearn.demo.generate import (
    DEFAULT_PEERS,
    DEFAULT_SEED,
    EMAIL_DOMAIN,
    OrgPlan,
    Plan,
    build_plan,
)
from peerlearn.initiatives.annex import AGENCIES, INITIATIVES, annex_initiatives_load
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation, OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import (
    Authorisation,
    AuthorisationStatus,
    Challenge,
    Experience,
    PeerProfile,
)
from peerlearn.peers.services import (
    authorisation_decide,
    authorisation_request,
    peer_profile_create,
    statement_create,
    statement_update,
)


class DemoError(Exception):
    """The demo cannot be loaded here; the message says why and what to do."""


def refuse_in_production() -> None:
    if getattr(settings, "PRODUCTION", False):
        raise DemoError(
            "The demo refuses to run in production mode (PEERLEARN_ENV=production): it "
            "creates sign-ins whose password is published. Load it into a development "
            "database instead (PEERLEARN_ENV=development)."
        )


def demo_email(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"


def fixed_usernames() -> set[str]:
    """User names of the hand-written demo people, which synthetic peers must not take."""
    names = {a.username for a in kenya.ACCOUNTS}
    names |= {p.username for p in kenya.PEOPLE} | {kenya.RESOURCE_PEER.username}
    names |= {a[0] for a in kenya.AUTHORISERS.values()}
    names |= {a.facilitator[0] for a in ALLIANCES}
    return names


def fixed_names() -> set[str]:
    names = {a.name for a in kenya.ACCOUNTS}
    names |= {p.name for p in kenya.PEOPLE} | {kenya.RESOURCE_PEER.name}
    names |= {a[1] for a in kenya.AUTHORISERS.values()}
    names |= {a.facilitator[1] for a in ALLIANCES}
    return names


def demo_plan(*, seed: int = DEFAULT_SEED, peers: int = DEFAULT_PEERS) -> Plan:
    return build_plan(
        seed=seed, peers=peers, reserved_names=fixed_names(), reserved_usernames=fixed_usernames()
    )


@dataclass
class DemoSummary:
    seed: int
    created: Counter[str] = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


SILENT_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


def load_demo(
    *, seed: int = DEFAULT_SEED, peers: int = DEFAULT_PEERS, today: date | None = None
) -> DemoSummary:
    """Load the demo (or what is missing of it) and return what was created and what exists.

    ``today`` anchors the dates of the live alliances and the authorisations; it defaults
    to the current date."""
    refuse_in_production()
    plan = demo_plan(seed=seed, peers=peers)
    # Seeding is nobody's action: the e-mails the services send on the way (authorisations,
    # invitations, stage changes) go nowhere.
    with override_settings(EMAIL_BACKEND=SILENT_EMAIL), transaction.atomic():
        # The migrations load countries, languages and themes; a flushed database lacks them.
        ensure_reference_data()
        loader = _Loader(plan, today or timezone.localdate())
        # Seeding is nobody's action: the trail records the load once, and then the few
        # actions the demo's people take (see _Loader.audited_story).
        with disable_auditlog():
            loader.run()
            for seed_demo in demo_extensions():
                seed_demo(loader.today)
        loader.audited_story()
        loader.summary.totals = demo_totals()
    return loader.summary


def demo_extensions() -> list[Callable[[date], None]]:
    """Each installed app's own part of the demo story, in ``INSTALLED_APPS`` order.

    An app adds to the demo with a ``demo`` module holding ``seed_demo(today)``: idempotent
    (it finds what it made by natural keys and adds only what is missing), run after the
    people, organisations, initiatives and alliances above exist."""
    found = []
    for app in django_apps.get_app_configs():
        name = f"{app.name}.demo"
        if app.name == "peerlearn.demo" or importlib.util.find_spec(name) is None:
            continue
        found.append(importlib.import_module(name).seed_demo)
    return found


def demo_totals() -> dict[str, int]:
    """How much demo content the database holds."""
    demo_users = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    profiles = PeerProfile.objects.filter(user__in=demo_users)
    return {
        "peers": profiles.count(),
        "countries": profiles.values("user__organisation__country").distinct().count(),
        "organisations": Organisation.objects.filter(users__in=demo_users).distinct().count(),
        "challenges": Challenge.objects.filter(peer__in=profiles).count(),
        "experiences": Experience.objects.filter(peer__in=profiles).count(),
        "authorisations": Authorisation.objects.filter(peer__in=profiles).count(),
        "initiatives": Initiative.objects.filter(slug__in=[i.slug for i in INITIATIVES]).count(),
        "alliances": LearningAlliance.objects.filter(
            slug__in=[kenya.ALLIANCE_SLUG, *(a.slug for a in ALLIANCES)]
        ).count(),
    }


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


class _Loader:
    def __init__(self, plan: Plan, today: date) -> None:
        self.plan = plan
        self.today = today
        self.summary = DemoSummary(seed=plan.seed)
        self.created = self.summary.created
        self.countries = {c.code: c for c in Country.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.orgs: dict[tuple[str, str | None], Organisation] = {}
        self.users: dict[str, User] = {}
        # Kenya statements their authors first shared platform-wide and then narrowed.
        self.to_narrow: list[tuple[Challenge | Experience, str]] = []

    # --- the whole load, in order ----------------------------------------------------

    def run(self) -> None:
        self.check_seed()
        self.accounts()
        self.initiatives()
        new_peers = self.synthetic_people()
        self.small_alliances()
        self.synthetic_statements(new_peers)
        self.synthetic_authorisations(new_peers)
        self.kenya_alliance()

    def audited_story(self) -> None:
        """What the audit trail shows after a fresh demo load: the load itself, a peer
        narrowing who sees a statement, and the facilitator exporting the platform's peers
        for the command-line matcher (as docs/matching.md shows). Sign-ins are recorded
        when the demo's people sign in."""
        if not self.summary.created_anything:
            return
        audit_record(
            action=AuditAction.DEMO_LOADED,
            detail={"seed": self.plan.seed, "created": dict(self.created)},
        )
        for statement, visibility in self.to_narrow:
            with set_actor(statement.peer.user):
                statement_update(statement=statement, data={"visibility": visibility})
        facilitator = self.users.get("facilitator")
        if facilitator is not None:
            from peerlearn.matchmaking.management.commands.export_peers import peer_records

            audit_export(
                what="matchmaking.peer_records",
                actor=facilitator,
                detail={
                    "command": "export_peers",
                    "format": "csv",
                    "include_alliance": False,
                    "count": len(peer_records()),
                },
            )

    def check_seed(self) -> None:
        """Refuse to mix demo peers from two seeds: the first peers of a seed are always
        created first, so if other demo peers exist, these must be among them."""
        synthetic = User.objects.filter(
            email__endswith="@" + EMAIL_DOMAIN, peer_profile__isnull=False
        ).exclude(username__in=fixed_usernames())
        if not self.plan.peers or not synthetic.exists():
            return
        first = self.plan.peers[:3]
        found = dict(
            User.objects.filter(username__in=[p.username for p in first]).values_list(
                "username", "name"
            )
        )
        if any(found.get(p.username) != p.name for p in first):
            raise DemoError(
                f"This database already holds demo peers generated from another seed than "
                f"{self.plan.seed}. Run the demo again with the seed you used the first time "
                "(--seed), or load it into an empty database."
            )

    # --- organisations and people --------------------------------------------------------

    def organisation(
        self, name: str, type_: str, country: str | None, acronym: str = ""
    ) -> Organisation:
        key = (name.lower(), country)
        if key not in self.orgs:
            existing = Organisation.objects.filter(name__iexact=name, country_id=country).first()
            if existing is None:
                existing = organisation_create(
                    name=name,
                    type=type_,
                    acronym=acronym,
                    country=self.countries[country] if country else None,
                )
                self.created["organisations"] += 1
            self.orgs[key] = existing
        return self.orgs[key]

    def agency(self, acronym: str) -> Organisation:
        seed = AGENCIES[acronym]
        return self.organisation(seed.name, seed.type, seed.country, seed.acronym)

    def bulk_organisations(self, plans: Iterable[OrgPlan]) -> None:
        wanted = {(o.name.lower(), o.country): o for o in plans}
        missing = [k for k in wanted if k not in self.orgs]
        if not missing:
            return
        codes = {c for _, c in missing}
        for org in Organisation.objects.filter(country_id__in=codes):
            self.orgs.setdefault((org.name.lower(), org.country_id), org)
        new = []
        for key in missing:
            if key in self.orgs:
                continue
            o = wanted[key]
            org = Organisation(
                name=o.name, acronym=o.acronym, type=o.type, country=self.countries[o.country]
            )
            org.full_clean(exclude=["country"], validate_unique=False, validate_constraints=False)
            new.append(org)
        Organisation.objects.bulk_create(new)
        for org in new:
            self.orgs[(org.name.lower(), org.country_id)] = org
        self.created["organisations"] += len(new)

    def user(
        self,
        username: str,
        name: str,
        role: str,
        organisation: Organisation | None,
    ) -> User:
        """The demo person ``username``, who signs in with the demo password (so that a
        facilitator trying the demo can also answer, as each matched peer, the proposals a
        matching sends them)."""
        if username not in self.users:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    email=demo_email(username),
                    name=name,
                    password=None,
                    role=role,
                    organisation=organisation,
                )
                # The demo password is published and deliberately weak, so it bypasses the
                # strength validators; and one hash serves every demo person, since hashing
                # is slow on purpose and a salt protects nothing public.
                user.password = self.demo_password_hash
                user.save(update_fields=["password"])
                self.created["users"] += 1
            self.users[username] = user
        return self.users[username]

    @cached_property
    def demo_password_hash(self) -> str:
        return make_password(kenya.DEMO_PASSWORD)

    def accounts(self) -> None:
        ke = "KE"
        for account in kenya.ACCOUNTS:
            if account.organisation in AGENCIES:
                org = self.agency(account.organisation)
            elif account.organisation:
                org = self.organisation(
                    kenya.county_org(account.organisation), OrganisationType.LOCAL_GOVERNMENT, ke
                )
            else:
                org = None
            self.user(account.username, account.name, account.role, org)

    # --- the registry ------------------------------------------------------------------------

    def initiatives(self) -> None:
        for acronym in sorted({a for i in INITIATIVES for a in (*i.implementers, *i.funders)}):
            self.agency(acronym)  # listed (and counted) here; the registry finds them
        self.created["initiatives"] += len(annex_initiatives_load())

    # --- synthetic peers, in bulk --------------------------------------------------------------

    def synthetic_people(self) -> set[str]:
        """Create the plan's peers that do not exist yet; return their user names."""
        plan = self.plan
        self.bulk_organisations(plan.organisations)
        usernames = [p.username for p in plan.peers]
        emails = [p.email for p in plan.peers]
        taken = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        taken_emails = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        todo = [p for p in plan.peers if p.username not in taken and p.email not in taken_emails]
        users = []
        for p in todo:
            org = self.orgs[(p.organisation.name.lower(), p.organisation.country)]
            user = User(
                username=p.username, email=p.email, name=p.name, role=Role.PEER, organisation=org
            )
            user.password = self.demo_password_hash  # as every demo person
            user.full_clean(
                exclude=["password", "organisation"],
                validate_unique=False,
                validate_constraints=False,
            )
            users.append(user)
        User.objects.bulk_create(users)
        profiles = []
        for p, user in zip(todo, users, strict=True):
            profile = PeerProfile(
                user=user,
                position=p.position,
                seniority=p.seniority,
                gender=p.gender,
                reform_stage=p.reform_stage,
                bio=p.bio,
                visibility=p.visibility,
            )
            profile.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
            profiles.append(profile)
        PeerProfile.objects.bulk_create(profiles)
        languages, areas = [], []
        lang_through = PeerProfile.languages.through
        area_through = PeerProfile.reform_areas.through
        for p, profile in zip(todo, profiles, strict=True):
            for code in p.languages:
                languages.append(
                    lang_through(peerprofile_id=profile.id, language_id=self.languages[code].code)
                )
            for slug in p.reform_areas:
                areas.append(area_through(peerprofile_id=profile.id, theme_id=self.themes[slug].id))
        lang_through.objects.bulk_create(languages)
        area_through.objects.bulk_create(areas)
        self.created["peers"] += len(profiles)
        return {p.username for p in todo}

    def profiles_by_username(self, usernames: Iterable[str]) -> dict[str, PeerProfile]:
        return {
            p.user.username: p
            for p in PeerProfile.objects.select_related("user").filter(
                user__username__in=list(usernames)
            )
        }

    def synthetic_statements(self, new_peers: set[str]) -> None:
        if not new_peers:
            return
        profiles = self.profiles_by_username(new_peers)
        alliances = dict(LearningAlliance.objects.values_list("slug", "id"))
        rows: dict[type[Challenge] | type[Experience], list[Any]] = {Challenge: [], Experience: []}
        for p in self.plan.peers:
            if p.username not in new_peers:
                continue
            for s in (*p.challenges, *p.experiences):
                model = Challenge if s.kind == "challenge" else Experience
                statement = model(
                    peer=profiles[p.username],
                    theme=self.themes[s.theme],
                    title=s.title,
                    description=s.description,
                    visibility=s.visibility,
                    alliance_id=alliances.get(s.alliance) if s.alliance else None,
                )
                statement.full_clean(
                    exclude=["peer", "theme", "alliance"],
                    validate_unique=False,
                    validate_constraints=False,
                )
                rows[model].append(statement)
        for model, objs in rows.items():
            model.objects.bulk_create(objs)
        self.created["challenges"] += len(rows[Challenge])
        self.created["experiences"] += len(rows[Experience])

    def synthetic_authorisations(self, new_peers: set[str]) -> None:
        by_username = {a.username: a for a in self.plan.authorisers}
        for a in self.plan.authorisers:
            org = self.orgs[(a.organisation.name.lower(), a.organisation.country)]
            self.user(a.username, a.name, Role.AUTHORISER, org)
        todo = [d for d in self.plan.authorisations if d.peer in new_peers]
        if not todo:
            return
        profiles = self.profiles_by_username(d.peer for d in todo)
        rows = []
        for d in todo:
            authorisation = Authorisation(
                peer=profiles[d.peer],
                authoriser=self.users[by_username[d.authoriser].username],
                status=d.status,
                scope=d.scope,
                decided_on=(
                    None
                    if d.decided_days_ago is None
                    else self.today - timedelta(days=d.decided_days_ago)
                ),
            )
            authorisation.full_clean(
                exclude=["peer", "authoriser"], validate_unique=False, validate_constraints=False
            )
            rows.append(authorisation)
        Authorisation.objects.bulk_create(rows)
        # requested_at is stamped "now" on creation; date it back to when it was asked.
        for d, row in zip(todo, rows, strict=True):
            row.requested_at = _at(self.today - timedelta(days=d.requested_days_ago))
        Authorisation.objects.bulk_update(rows, ["requested_at"])
        self.created["authorisations"] += len(rows)

    # --- alliances -------------------------------------------------------------------------

    def new_alliance(
        self,
        *,
        slug: str,
        name: str,
        theme: str,
        type_: str,
        purpose: str,
        languages: Iterable[str],
        facilitator: User,
        funders: Iterable[str],
        initiative: str,
        visibility: str,
        started: date | None,
        ends: date | None,
        priorities: Iterable[tuple[str, str]],
        stages: Iterable[tuple[int, date, str]],
        pre_assessment: date,
    ) -> tuple[LearningAlliance, bool]:
        """The alliance ``slug``, created with its priorities and stage history if missing."""
        alliance = LearningAlliance.objects.filter(slug=slug).first()
        if alliance is not None:
            return alliance, False
        alliance = alliance_create(
            name=name,
            slug=slug,
            theme=theme,
            type=type_,
            purpose=purpose,
            working_languages=languages,
            created_by=facilitator,
            stage=AllianceStage.PRE_ASSESSMENT,
            starts_on=started,
            ends_on=ends,
            visibility=visibility,
            funders=[self.agency(f) for f in funders],
            initiative=Initiative.objects.filter(slug=initiative).first(),
        )
        for title, description in priorities:
            alliance_priority_add(alliance=alliance, title=title, description=description)
        dates = [pre_assessment]
        for stage, day, note in stages:
            alliance_stage_change(
                alliance=alliance,
                stage=stage,
                changed_by=facilitator,
                note=note,
                tell_members=False,  # the story's past, not news
            )
            dates.append(day)
        changes = list(StageChange.objects.filter(alliance=alliance).order_by("id"))
        for change, day in zip(changes, dates, strict=True):
            change.changed_at = _at(day)
        StageChange.objects.bulk_update(changes, ["changed_at"])
        self.created["alliances"] += 1
        return alliance, True

    def member(
        self, alliance: LearningAlliance, user: User, role: str, joined_on: date | None
    ) -> None:
        if not AllianceMembership.objects.filter(alliance=alliance, user=user).exists():
            alliance_member_add(alliance=alliance, user=user, role=role, joined_on=joined_on)
            self.created["memberships"] += 1

    def small_alliances(self) -> None:
        members = self.profiles_by_username(p.username for p in self.plan.peers if p.alliance)
        for seed in ALLIANCES:
            username, name, agency = seed.facilitator
            facilitator = self.user(username, name, Role.FACILITATOR, self.agency(agency))
            started = (
                None
                if seed.started_days_ago is None
                else self.today - timedelta(days=seed.started_days_ago)
            )
            anchor = started or self.today - timedelta(days=20)
            step = (seed.started_days_ago or 0) // (len(seed.stage_notes) + 1)
            stages = [
                (i + 1, anchor + timedelta(days=step * i), note)
                for i, note in enumerate(seed.stage_notes)
            ]
            assert len(stages) == seed.stage, seed.slug
            alliance, _ = self.new_alliance(
                slug=seed.slug,
                name=seed.name,
                theme=seed.theme,
                type_=seed.type,
                purpose=seed.purpose,
                languages=seed.languages,
                facilitator=facilitator,
                funders=seed.funders,
                initiative=seed.initiative,
                visibility=seed.visibility,
                started=started,
                ends=None,
                priorities=[(p, "") for p in seed.priorities],
                stages=stages,
                pre_assessment=anchor - timedelta(days=30),
            )
            for p in self.plan.peers:
                if p.alliance == seed.slug and p.username in members:
                    role = MemberRole.RESOURCE if p.alliance_role == "resource" else MemberRole.PEER
                    self.member(alliance, members[p.username].user, role, started)

    def kenya_alliance(self) -> None:
        ke = "KE"
        start = self.today - timedelta(days=kenya.STARTED_DAYS_AGO)
        counties = {
            c: self.organisation(kenya.county_org(c), OrganisationType.LOCAL_GOVERNMENT, ke)
            for c in kenya.COUNTIES
        }
        facilitator = self.users["facilitator"]
        alliance, _ = self.new_alliance(
            slug=kenya.ALLIANCE_SLUG,
            name=kenya.ALLIANCE_NAME,
            theme="decentralisation",
            type_=PartnershipType.TYPE_II,
            purpose=kenya.PURPOSE,
            languages=kenya.LANGUAGES,
            facilitator=facilitator,
            funders=["EIP"],
            initiative=kenya.INITIATIVE_SLUG,
            visibility=Visibility.PLATFORM,
            started=start,
            ends=start + timedelta(days=kenya.DURATION_DAYS),
            priorities=kenya.PRIORITIES,
            stages=[(s, start + timedelta(days=d), note) for s, d, note in kenya.STAGE_HISTORY],
            pre_assessment=start - timedelta(days=kenya.PRE_ASSESSMENT_DAYS_BEFORE_START),
        )
        self.member(alliance, self.users["funder"], MemberRole.FUNDER, start)

        authorisers = {"Makueni": self.users["authoriser"]}
        for county, (username, name, _position) in kenya.AUTHORISERS.items():
            authorisers[county] = self.user(username, name, Role.AUTHORISER, counties[county])

        kra_name, kra_acronym = kenya.RESOURCE_ORG
        kra = self.organisation(kra_name, OrganisationType.AGENCY, ke, kra_acronym)
        new_profiles: dict[str, PeerProfile] = {}
        for person in (*kenya.PEOPLE, kenya.RESOURCE_PEER):
            org = kra if person.county == "KRA" else counties[person.county]
            user = self.user(person.username, person.name, Role.PEER, org)
            profile = PeerProfile.objects.filter(user=user).first()
            if profile is None:
                profile = peer_profile_create(
                    user=user,
                    position=person.position,
                    languages=kenya.LANGUAGES,
                    seniority=person.seniority,
                    reform_stage=person.reform_stage,
                    reform_areas=person.reform_areas,
                    gender=person.gender,
                    bio=person.bio,
                    visibility=Visibility.PLATFORM,
                )
                new_profiles[person.username] = profile
                self.created["peers"] += 1
            role = MemberRole.RESOURCE if person.role == "resource" else MemberRole.PEER
            self.member(alliance, user, role, start)
            if person.username in new_profiles and person.authorisation:
                self.kenya_authorisation(
                    profile, authorisers[person.county], person.authorisation, start
                )

        for s in kenya.STATEMENTS:
            if s.author not in new_profiles:
                continue
            # The first alliance-level statement is written platform-wide and narrowed by its
            # author afterwards, so the audit trail shows a visibility change.
            narrow = s.visibility == Visibility.ALLIANCE and not self.to_narrow
            statement = statement_create(
                model=Challenge if s.kind == "challenge" else Experience,
                peer=new_profiles[s.author],
                theme=s.theme,
                title=s.title,
                description=s.description,
                visibility=Visibility.PLATFORM if narrow else s.visibility,
                alliance=alliance if s.in_alliance else None,
            )
            if narrow:
                self.to_narrow.append((statement, s.visibility))
            self.created["challenges" if s.kind == "challenge" else "experiences"] += 1

    def kenya_authorisation(
        self, profile: PeerProfile, authoriser: User, status: str, start: date
    ) -> None:
        authorisation = authorisation_request(
            peer=profile, authoriser=authoriser, scope=kenya.AUTHORISATION_SCOPE
        )
        if status == AuthorisationStatus.GRANTED:
            authorisation_decide(
                authorisation=authorisation,
                status=AuthorisationStatus.GRANTED,
                on=start - timedelta(days=kenya.AUTHORISED_DAYS_BEFORE_START),
            )
        authorisation.requested_at = _at(start - timedelta(days=14))
        authorisation.save(update_fields=["requested_at"])
        self.created["authorisations"] += 1
