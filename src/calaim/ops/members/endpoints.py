"""Members API: list (filtered, paged), read, create (plan admins), update (If-Match).

Thin: parse the request, check the role, call `MemberService`, return a schema.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.concurrency import IfMatchHeader, expected_version, set_etag
from calaim.ops.http.deps import ActorDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.members.schemas import MemberCreate, MemberOut, MemberUpdate, member_out
from calaim.ops.members.service import MemberFilter, MemberService

router = DomainRouter(
    prefix="/members",
    tag="members",
    description="Medi-Cal members, owned by their plan; each organization sees only its own.",
)


@router.get("", response_model=Page[MemberOut])
def list_members(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    county: Annotated[str | None, Query(max_length=60)] = None,
    person_id: Annotated[str | None, Query(max_length=64)] = None,
    cin: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[MemberOut]:
    """Members the caller may see, by last name; `total` counts only those."""
    require(actor, Permission.MEMBER_READ)
    filters = MemberFilter(county=county, person_id=person_id, cin=cin)
    result = MemberService(session, actor).search(filters, page)
    return page_of(result, page, member_out)


@router.get("/{member_id}", response_model=MemberOut)
def get_member(
    member_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> MemberOut:
    """One member; another organization's member is 404, exactly like a missing one."""
    require(actor, Permission.MEMBER_READ)
    body = member_out(MemberService(session, actor).get(member_id))
    set_etag(response, body.version)
    return body


@router.post("", response_model=MemberOut, status_code=201)
def create_member(
    body: MemberCreate, actor: ActorDep, session: SessionDep, response: Response
) -> MemberOut:
    """Add a member to the caller's plan (plan administrators)."""
    require(actor, Permission.MEMBER_WRITE)
    created = member_out(MemberService(session, actor).create(**body.model_dump()))
    set_etag(response, created.version)
    return created


@router.patch("/{member_id}", response_model=MemberOut, responses=UPDATE_ERRORS)
def update_member(
    member_id: uuid.UUID,
    body: MemberUpdate,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> MemberOut:
    """Change a member's fields, based on the version last read (If-Match or `version`)."""
    require(actor, Permission.MEMBER_WRITE)
    version = expected_version(if_match, body.version)
    member = MemberService(session, actor).update(member_id, version, body.changes())
    updated = member_out(member)
    set_etag(response, updated.version)
    return updated
