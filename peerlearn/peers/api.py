"""Peers, and their challenges (demand) and experiences (supply).

Reads go through the access layer's selectors; writes through the peers services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import AccessDenied, NotFound, Viewer, profile_of
from peerlearn.access.peers import (
    access_authorisation_for_decision,
    access_peer_for_edit,
    access_statement_for_edit,
    authorisations_visible_to,
    authorisers_for,
)
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.audit.services import audit_bulk_read
from peerlearn.core.api import Id, Page, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.organisations.models import Organisation
from peerlearn.peers.models import Authorisation, Challenge, Experience, PeerProfile
from peerlearn.peers.schemas import (
    AuthorisationDecisionIn,
    AuthorisationDetailOut,
    AuthorisationIn,
    AuthoriserOut,
    MyProfileOut,
    MyProfilePatchIn,
    PeerDetailOut,
    PeerFiltersIn,
    PeerOut,
    StatementFiltersIn,
    StatementIn,
    StatementOut,
    StatementPatchIn,
)
from peerlearn.peers.selectors import (
    PeerFilters,
    StatementFilters,
    peer_directory,
    peer_profile_detail,
    peer_statements,
    statement_list,
    with_alliance_visibility,
)
from peerlearn.peers.services import (
    authorisation_decide,
    authorisation_request,
    peer_profile_update,
    statement_create,
    statement_delete,
    statement_update,
)

router = Router(tags=["peers"])


def _own_profile(user: User) -> PeerProfile:
    peer = profile_of(user)
    if peer is None:
        raise NotFound(
            _("You have no peer profile yet: create one on the website under “My profile”.")
        )
    return peer


def _peer_with_statements(user: Viewer, peer_id: Id) -> PeerProfile:
    peer = peer_profile_detail(peer_id=peer_id, user=user)
    challenges, experiences = peer_statements(user=user, peer=peer)
    peer.visible_challenges = list(with_alliance_visibility(challenges, user=user))  # type: ignore[attr-defined]
    peer.visible_experiences = list(with_alliance_visibility(experiences, user=user))  # type: ignore[attr-defined]
    return peer


def _my_profile(user: User) -> PeerProfile:
    peer = _peer_with_statements(user, _own_profile(user).id)
    prefetch_related_objects(
        [peer],
        Prefetch(
            "authorisations",
            queryset=authorisations_visible_to(user).select_related("authoriser"),
            to_attr="visible_authorisations",
        ),
    )
    return peer


@router.get("", response=list[PeerOut], summary="List peers (the directory)")
@paginate(Page)
def peer_list(request: HttpRequest, filters: Query[PeerFiltersIn]) -> QuerySet[PeerProfile]:
    """The peers you may see, with the directory's filters."""
    audit_bulk_read(request=request, what="peers.peerprofile")
    return peer_directory(
        user=signed_in_user(request),
        filters=PeerFilters(
            country=filters.country,
            region=filters.region,
            theme=filters.theme,
            stage=filters.stage,
            language=filters.language,
            q=filters.q,
        ),
    ).prefetch_related("authorisations")


@router.get("/me", response={200: MyProfileOut, 404: ErrorOut}, summary="My peer profile")
def my_profile(request: HttpRequest) -> PeerProfile:
    """Your own profile, with what only you see: e-mail, gender, visibility and the
    authorisations you asked for."""
    return _my_profile(signed_in_user(request))


@router.patch(
    "/me",
    response={200: MyProfileOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Change my peer profile",
)
def my_profile_update(request: HttpRequest, payload: MyProfilePatchIn) -> PeerProfile:
    user = signed_in_user(request)
    peer = access_peer_for_edit(user, _own_profile(user))
    data = payload.model_dump(exclude_unset=True, mode="json")
    if data.get("organisation") is not None:
        organisation = Organisation.objects.filter(id=data["organisation"]).first()
        if organisation is None:
            raise ValidationError(
                {"organisation": [_("No such organisation: use an id from /api/v1/organisations.")]}
            )
        data["organisation"] = organisation
    peer_profile_update(peer=peer, data=data)
    return _my_profile(user)


@router.get("/{int:peer_id}", response={200: PeerDetailOut, 404: ErrorOut}, summary="Get a peer")
def peer_get(request: HttpRequest, peer_id: Id) -> PeerProfile:
    """A peer's profile with the challenges and experiences you may see."""
    return _peer_with_statements(signed_in_user(request), peer_id)


# --- challenges and experiences ----------------------------------------------------------


def _alliance_for_input(user: Viewer, slug: str | None) -> LearningAlliance | None:
    if not slug:
        return None
    alliance = alliances_visible_to(user).filter(slug=slug).first()
    if alliance is None:
        raise ValidationError(
            {
                "alliance": [
                    _("No learning alliance “%(slug)s”: give the slug of one you belong to.")
                    % {"slug": slug}
                ]
            }
        )
    return alliance


def _statement_router(model: type[Challenge] | type[Experience], noun: str) -> Router:
    """The same five endpoints for challenges (demand) and experiences (supply)."""
    plural = f"{noun}s"
    statements = Router(tags=[plural])

    def fetch(user: Viewer, statement_id: Id) -> Any:
        statement = (
            statement_list(user=user, model=model, filters=StatementFilters())
            .filter(id=statement_id)
            .first()
        )
        if statement is None:
            raise NotFound(_("No such item."))
        return statement

    @statements.get(
        "",
        response=list[StatementOut],
        summary=f"List {plural}",
        operation_id=f"{noun}_list",
        url_name=f"{noun}_list",
    )
    @paginate(Page)
    def list_(request: HttpRequest, filters: Query[StatementFiltersIn]) -> QuerySet[Any]:
        audit_bulk_read(request=request, what=model._meta.label_lower)
        return statement_list(
            user=signed_in_user(request),
            model=model,
            filters=StatementFilters(
                theme=filters.theme,
                country=filters.country,
                alliance=filters.alliance,
                peer=filters.peer,
                q=filters.q,
                mine=filters.mine,
            ),
        )

    @statements.post(
        "",
        response={201: StatementOut, 403: ErrorOut, 422: ValidationErrorOut},
        summary=f"Add a {noun}",
        operation_id=f"{noun}_create",
        url_name=f"{noun}_create",
    )
    def create(request: HttpRequest, payload: StatementIn) -> Status[Any]:
        user = signed_in_user(request)
        peer = profile_of(user)
        if peer is None:
            raise AccessDenied(
                _("Only peers can add this: create your peer profile on the website first.")
            )
        statement = statement_create(
            model=model,
            peer=peer,
            theme=payload.theme,
            title=payload.title,
            description=payload.description,
            visibility=payload.visibility.value,
            alliance=_alliance_for_input(user, payload.alliance),
        )
        return Status(201, fetch(user, statement.id))

    @statements.get(
        "/{int:statement_id}",
        response={200: StatementOut, 404: ErrorOut},
        summary=f"Get a {noun}",
        operation_id=f"{noun}_get",
        url_name=f"{noun}_get",
    )
    def get(request: HttpRequest, statement_id: Id) -> Any:
        return fetch(signed_in_user(request), statement_id)

    @statements.patch(
        "/{int:statement_id}",
        response={200: StatementOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
        summary=f"Change one of my {plural}",
        operation_id=f"{noun}_update",
        url_name=f"{noun}_update",
    )
    def update(request: HttpRequest, statement_id: Id, payload: StatementPatchIn) -> Any:
        user = signed_in_user(request)
        statement = access_statement_for_edit(user, model, statement_id)
        data = payload.model_dump(exclude_unset=True, mode="json")
        if "alliance" in data:
            data["alliance"] = _alliance_for_input(user, data["alliance"])
        statement_update(statement=statement, data=data)
        return fetch(user, statement.id)

    @statements.delete(
        "/{int:statement_id}",
        response={204: None, 403: ErrorOut, 404: ErrorOut},
        summary=f"Delete one of my {plural}",
        operation_id=f"{noun}_delete",
        url_name=f"{noun}_delete",
    )
    def delete(request: HttpRequest, statement_id: Id) -> Status[None]:
        statement = access_statement_for_edit(signed_in_user(request), model, statement_id)
        statement_delete(statement=statement)
        return Status(204, None)

    return statements


challenges_router = _statement_router(Challenge, "challenge")
experiences_router = _statement_router(Experience, "experience")


# --- home-organisation authorisations ----------------------------------------------------

authorisations_router = Router(tags=["authorisations"])


def _authorisations(user: Viewer) -> QuerySet[Authorisation]:
    return authorisations_visible_to(user).select_related(
        "authoriser", "peer__user__organisation__country"
    )


@authorisations_router.get(
    "", response=list[AuthorisationDetailOut], summary="List authorisation requests"
)
@paginate(Page)
def authorisation_list(request: HttpRequest) -> QuerySet[Authorisation]:
    """The requests you made as a peer and those you are named to decide as an authoriser
    (administrators see all), newest first."""
    return _authorisations(signed_in_user(request)).order_by("-requested_at", "-id")


@authorisations_router.get(
    "/authorisers",
    response={200: list[AuthoriserOut], 404: ErrorOut},
    summary="List who can authorise me",
)
def authoriser_list(request: HttpRequest) -> QuerySet[User]:
    """The authorisers of your own organisation: ask one of them."""
    user = signed_in_user(request)
    _own_profile(user)
    return authorisers_for(user=user)


@authorisations_router.post(
    "",
    response={201: AuthorisationDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Ask for my home organisation's authorisation",
)
def authorisation_create(request: HttpRequest, payload: AuthorisationIn) -> Status[Any]:
    """For peers: ask an authoriser of your own organisation to authorise your taking part
    (the paper's §4, empowerment). They see the request on their home page and here."""
    user = signed_in_user(request)
    peer = access_peer_for_edit(user, _own_profile(user))
    authoriser = User.objects.filter(id=payload.authoriser).first()
    if authoriser is None:
        raise ValidationError(
            {
                "authoriser": [
                    _("No such person: use an id from /api/v1/authorisations/authorisers.")
                ]
            }
        )
    authorisation = authorisation_request(
        peer=peer, authoriser=authoriser, scope=payload.scope, site_url=site_url(request)
    )
    return Status(201, _authorisations(user).get(id=authorisation.id))


@authorisations_router.post(
    "/{int:authorisation_id}/decision",
    response={200: AuthorisationDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Decide on an authorisation request",
)
def authorisation_decision(
    request: HttpRequest, authorisation_id: Id, payload: AuthorisationDecisionIn
) -> Authorisation:
    """For the authoriser named in the request (and administrators): grant or decline a
    request, or revoke a granted authorisation."""
    user = signed_in_user(request)
    authorisation = access_authorisation_for_decision(user, authorisation_id)
    authorisation_decide(
        authorisation=authorisation,
        status=payload.status,
        note=payload.note,
        site_url=site_url(request),
    )
    return _authorisations(user).get(id=authorisation.id)
