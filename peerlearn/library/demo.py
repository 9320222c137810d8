"""The case library's part of the demo: the Annex cases (loaded on migrate, again here
after a flush) linked to their registry entries, and a few resources — a public guide, a
template attached to a case, and a file kept inside a learning alliance."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import AllianceMembership, MemberRole
from peerlearn.library.annex import annex_cases_link, ensure_annex_cases
from peerlearn.library.models import Case, ItemStatus, Resource, ResourceType, Tag

GUIDE_URL = "https://www.effectiveinstitutions.org/"


def seed_demo(today: date) -> None:
    ensure_annex_cases()
    annex_cases_link()
    if Resource.objects.exists():
        return
    author = User.objects.filter(role=Role.FACILITATOR, is_active=True).order_by("id").first()
    guide = Resource.objects.create(
        title="The EIP Peer-to-Peer Learning Guide",
        type=ResourceType.GUIDE,
        description=(
            "How to make peer-to-peer support and learning effective in the public sector: "
            "the stages a learning alliance goes through, with questions for each."
        ),
        url=GUIDE_URL,
        visibility=Visibility.PUBLIC,
        status=ItemStatus.PUBLISHED,
        author=author,
    )
    guide.tags.set([Tag.objects.get_or_create(name="learning guide")[0]])
    parliaments = Case.objects.filter(key="evidence-in-african-parliaments").first()
    template = Resource(
        title="Template: a parliament's evidence needs",
        type=ResourceType.TEMPLATE,
        description="A one-page template for staff to list the evidence their committees ask for.",
        case=parliaments,
        visibility=Visibility.PUBLIC,
        status=ItemStatus.PUBLISHED,
        author=author,
        file_name="evidence-needs.csv",
    )
    _attach(template, "demo-evidence-needs.csv", b"committee,question,evidence needed,by when\n")
    membership = (
        AllianceMembership.objects.filter(role=MemberRole.FACILITATOR)
        .select_related("alliance", "user")
        .order_by("id")
        .first()
    )
    if membership is not None:
        notes = Resource(
            title="Workshop notes: what we agreed",
            type=ResourceType.REPORT,
            description="Notes of the alliance's last workshop, for its members only.",
            alliance=membership.alliance,
            visibility=Visibility.ALLIANCE,
            status=ItemStatus.PUBLISHED,
            author=membership.user,
            file_name="workshop-notes.txt",
        )
        _attach(
            notes,
            "demo-workshop-notes.txt",
            b"Agreed: each county drafts its plan for change by the next meeting.\n",
        )


def _attach(resource: Resource, name: str, content: bytes) -> None:
    # A fixed name of the demo's own, written once however often the demo is loaded.
    path = f"library/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    resource.file.name = path
    resource.file_size = len(content)
    resource.save()
