"""Which members and records an actor's organization may see; every repository starts here.

- a **plan** sees its own members (and everything about them);
- an **ECM or CS provider** sees members it has been assigned, referred, authorized or
  episoded for: an enrollment, an open or past referral to it, an authorization naming it,
  or a service episode with it;
- a **referrer** sees no member rows: only the status of referrals it made (its own or ones
  it joined as a duplicate);
- a **correctional facility** (county jail, state prison, youth facility) sees the members it
  has opened a reentry case for, and those cases;
- a **county mental health plan or drug program** sees the members referred to it (the loops
  it receives); the loops it sends it follows like a referrer;
- the ECM providers named on a reentry case (the in-reach pre-release provider and the
  post-release provider) see that case and its member;
- the **state** sees aggregates only, never a member's row;
- a **member** (role `member`: the member or their authorized representative, signed in to
  the member's own pages) sees their own record only, whatever organization holds it.

Anything out of scope is reported as not found, exactly like a record that does not exist.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, CompoundSelect, Select, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from calaim.ops.models import (
    Authorization,
    Enrollment,
    EnrollmentStatus,
    FhirReferralLink,
    LinkedPerson,
    Member,
    Notice,
    OrganizationKind,
    ReentryCase,
    Referral,
    ReferralParty,
    Role,
    RosterReport,
    ServiceEpisode,
    User,
)
from calaim.ops.models.billing import Claim, EcmEncounter
from calaim.ops.models.member_account import MemberAccount
from calaim.ops.models.network import NetworkMembership, NetworkRoute
from calaim.ops.models.provider_application import ApplicationLine, ProviderApplication

PROVIDER_KINDS = frozenset({OrganizationKind.ECM_PROVIDER, OrganizationKind.CS_PROVIDER})
FACILITY_KINDS = frozenset(
    {OrganizationKind.COUNTY_JAIL, OrganizationKind.STATE_PRISON, OrganizationKind.YOUTH_FACILITY}
)
COUNTY_BH_KINDS = frozenset({OrganizationKind.COUNTY_MHP, OrganizationKind.COUNTY_DMC})


def is_member(actor: User) -> bool:
    """Whether the actor is a member (or representative) seeing their own record."""
    return actor.role == Role.MEMBER


def own_member_ids(actor: User) -> Select[uuid.UUID]:
    """The id of the one member record a member account may see (none for anyone else)."""
    return select(MemberAccount.member_id).where(MemberAccount.user_id == actor.id)


def owns_member(session: Session, actor: User, member_id: uuid.UUID) -> bool:
    """Whether `member_id` is the member account's own record (always False for staff)."""
    if not is_member(actor):
        return False
    found = session.scalar(own_member_ids(actor).where(MemberAccount.member_id == member_id))
    return found is not None


def is_plan(actor: User) -> bool:
    """Whether the actor works for a managed care plan (a member of the plan does not)."""
    return actor.organization.kind == OrganizationKind.PLAN and not is_member(actor)


def is_provider(actor: User) -> bool:
    """Whether the actor works for an ECM or Community Supports provider."""
    return actor.organization.kind in PROVIDER_KINDS and not is_member(actor)


def is_facility(actor: User) -> bool:
    """Whether the actor works for a correctional facility (jail, prison, youth facility)."""
    return actor.organization.kind in FACILITY_KINDS and not is_member(actor)


def is_county_bh(actor: User) -> bool:
    """Whether the actor works for a county mental health plan or drug program."""
    return actor.organization.kind in COUNTY_BH_KINDS and not is_member(actor)


def sees_member_rows(actor: User) -> bool:
    """Whether the actor may ever see a member's row (referrers and the state may not)."""
    return is_plan(actor) or is_provider(actor) or is_facility(actor) or is_county_bh(actor)


def facility_member_ids(organization_id: uuid.UUID) -> Select[uuid.UUID]:
    """Ids of members a facility has opened a reentry case for."""
    return select(ReentryCase.member_id).where(
        ReentryCase.facility_organization_id == organization_id
    )


def county_bh_member_ids(organization_id: uuid.UUID) -> Select[uuid.UUID]:
    """Ids of members referred to a county mental health plan or drug program."""
    return select(Referral.member_id).where(Referral.receiving_organization_id == organization_id)


def _row_member_ids(actor: User) -> Select[uuid.UUID] | CompoundSelect[uuid.UUID] | None:
    """The member ids a non-plan actor sees (None: no member rows at all)."""
    if is_provider(actor):
        return provider_member_ids(actor.organization_id)
    if is_facility(actor):
        return facility_member_ids(actor.organization_id)
    if is_county_bh(actor):
        return county_bh_member_ids(actor.organization_id)
    return None


def provider_member_ids(organization_id: uuid.UUID) -> CompoundSelect[uuid.UUID]:
    """Ids of members a provider is connected to by any enrollment, referral, authorization
    or service episode."""
    return (
        select(Enrollment.member_id)
        .where(Enrollment.provider_organization_id == organization_id)
        .union(
            select(Referral.member_id).where(Referral.receiving_organization_id == organization_id),
            select(Authorization.member_id).where(
                Authorization.provider_organization_id == organization_id
            ),
            select(ServiceEpisode.member_id).where(
                ServiceEpisode.provider_organization_id == organization_id
            ),
            # A network member CBO: members of referrals its lead routed to it (only those).
            select(Referral.member_id).where(Referral.id.in_(routed_to(organization_id))),
            select(ReentryCase.member_id).where(
                or_(
                    ReentryCase.pre_release_provider_id == organization_id,
                    ReentryCase.post_release_provider_id == organization_id,
                )
            ),
        )
    )


def routed_to(organization_id: uuid.UUID) -> Select[uuid.UUID]:
    """Ids of referrals a network lead routed to the member CBO `organization_id`."""
    return select(NetworkRoute.referral_id).where(
        NetworkRoute.member_organization_id == organization_id
    )


def member_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Member` true for the members the actor may see."""
    if is_member(actor):
        return Member.id.in_(own_member_ids(actor))
    if is_plan(actor):
        return Member.plan_organization_id == actor.organization_id
    ids = _row_member_ids(actor)
    return false() if ids is None else Member.id.in_(ids)


def member_id_visible(
    actor: User, member_id: InstrumentedAttribute[uuid.UUID]
) -> ColumnElement[bool]:
    """A condition true when `member_id` (a column of another table) is a visible member."""
    if is_member(actor):
        return member_id.in_(own_member_ids(actor))
    if is_plan(actor):
        own = select(Member.id).where(Member.plan_organization_id == actor.organization_id)
        return member_id.in_(own)
    ids = _row_member_ids(actor)
    return false() if ids is None else member_id.in_(ids)


def visible_members(actor: User) -> Select[Member]:
    """Members the actor may see."""
    return select(Member).where(member_visible(actor))


def referral_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Referral` true for the referrals the actor may see.

    Parties see their referrals (referrer, receiver, anyone who joined as a duplicate); a plan
    also sees every referral of its members; the state sees none.
    """
    organization = actor.organization
    if is_member(actor):
        return member_id_visible(actor, Referral.member_id)
    if organization.kind == OrganizationKind.STATE:
        return false()
    joined = select(ReferralParty.referral_id).where(
        ReferralParty.organization_id == organization.id
    )
    party = or_(
        Referral.referring_organization_id == organization.id,
        Referral.receiving_organization_id == organization.id,
        Referral.id.in_(joined),
        Referral.id.in_(routed_to(organization.id)),
    )
    if is_plan(actor):
        return or_(party, member_id_visible(actor, Referral.member_id))
    return party


def enrollment_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Enrollment` true for the ECM enrollments the actor may see.

    A plan sees its members' enrollments; a provider sees the enrollments it holds (not another
    provider's episode with the same member); referrers and the state see none; a member their
    own (who their care manager is).
    """
    if is_member(actor):
        return member_id_visible(actor, Enrollment.member_id)
    if is_plan(actor):
        return Enrollment.plan_organization_id == actor.organization_id
    if actor.organization.kind == OrganizationKind.ECM_PROVIDER:
        return Enrollment.provider_organization_id == actor.organization_id
    return false()


def authorization_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Authorization` true for the authorizations the actor may see.

    A plan sees the authorizations it decides (its members'); a provider sees the ones naming
    it as the provider; referrers and the state see none; a member their own.
    """
    if is_member(actor):
        return member_id_visible(actor, Authorization.member_id)
    if is_plan(actor):
        return Authorization.plan_organization_id == actor.organization_id
    if is_provider(actor):
        return Authorization.provider_organization_id == actor.organization_id
    return false()


def service_episode_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `ServiceEpisode` true for the Community Supports episodes the actor may see.

    A plan sees its members' episodes; a provider sees the episodes it delivers; referrers and
    the state see none; a member their own.
    """
    if is_plan(actor) or is_member(actor):
        return member_id_visible(actor, ServiceEpisode.member_id)
    if is_provider(actor):
        return ServiceEpisode.provider_organization_id == actor.organization_id
    return false()


def notice_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Notice` true for the notices the actor may see.

    An organization sees the notices addressed to it (a referrer learns of the assignment and
    the loop's closure this way); a plan also sees every notice about its members, and a
    provider the notices about members connected to it; the state sees none. A member sees the
    notices about themselves (never those addressed to their plan about others).
    """
    if is_member(actor):
        return member_id_visible(actor, Notice.member_id)
    if actor.organization.kind == OrganizationKind.STATE:
        return false()
    addressed = Notice.recipient_organization_id == actor.organization_id
    if is_plan(actor) or is_provider(actor):
        return or_(addressed, member_id_visible(actor, Notice.member_id))
    return addressed


def ecm_encounter_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `EcmEncounter`: a plan sees its members' encounters, an ECM provider the
    encounters it recorded; anyone else none."""
    if is_plan(actor):
        return member_id_visible(actor, EcmEncounter.member_id)
    if actor.organization.kind == OrganizationKind.ECM_PROVIDER:
        return EcmEncounter.provider_organization_id == actor.organization_id
    return false()


def claim_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Claim`: a provider sees the claims it billed, a plan those billed to it;
    anyone else none."""
    if is_plan(actor):
        return Claim.plan_organization_id == actor.organization_id
    if is_provider(actor):
        return Claim.provider_organization_id == actor.organization_id
    return false()


def linked_person_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `LinkedPerson` true for the roster linkage store of the actor's own
    organization (each organization links its own rosters; nothing is shared)."""
    if not sees_member_rows(actor):
        return false()
    return LinkedPerson.organization_id == actor.organization_id


def roster_report_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `RosterReport` true for the reconciliation reports of the actor's
    organization."""
    if not sees_member_rows(actor):
        return false()
    return RosterReport.organization_id == actor.organization_id


def active_enrollment_elsewhere(actor: User) -> ColumnElement[bool]:
    """A condition on `Enrollment`: an active ECM episode of a member the actor sees, held by
    another provider. A provider may learn only that such an episode exists (roster
    reconciliation says "assigned to another provider"), never which provider holds it."""
    active = Enrollment.status.in_(
        [EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH, EnrollmentStatus.ENROLLED]
    )
    return (
        active
        & (Enrollment.provider_organization_id != actor.organization_id)
        & (member_id_visible(actor, Enrollment.member_id))
    )


def fhir_link_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `FhirReferralLink`: an organization sees only the ids it imported."""
    if is_member(actor):
        return false()
    return FhirReferralLink.organization_id == actor.organization_id


def reentry_case_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `ReentryCase`: the facility sees its cases, the member's plan its
    members' cases, an ECM provider the cases naming it (pre- or post-release); anyone else
    none."""
    organization_id = actor.organization_id
    if is_plan(actor):
        return ReentryCase.plan_organization_id == organization_id
    if is_facility(actor):
        return ReentryCase.facility_organization_id == organization_id
    if actor.organization.kind == OrganizationKind.ECM_PROVIDER:
        return or_(
            ReentryCase.pre_release_provider_id == organization_id,
            ReentryCase.post_release_provider_id == organization_id,
        )
    return false()


def always(_actor: User) -> ColumnElement[bool]:
    """A condition true everywhere (for records that are not member data)."""
    return true()


def provider_application_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `ProviderApplication`: a provider sees its own applications; a plan the
    ones that apply to it; nobody else any."""
    if is_provider(actor):
        return ProviderApplication.organization_id == actor.organization_id
    if is_plan(actor):
        mine = select(ApplicationLine.application_id).where(
            ApplicationLine.plan_organization_id == actor.organization_id
        )
        return ProviderApplication.id.in_(mine)
    return false()


def application_line_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `ApplicationLine`: the applicant sees every plan's decision on its
    application; a plan sees only its own lines (never another plan's decision)."""
    if is_provider(actor):
        own = select(ProviderApplication.id).where(
            ProviderApplication.organization_id == actor.organization_id
        )
        return ApplicationLine.application_id.in_(own)
    if is_plan(actor):
        return ApplicationLine.plan_organization_id == actor.organization_id
    return false()


def network_claim_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Claim`: a lead sees the claims it billed; a member CBO those it rendered
    (read only: the lead bills and is paid)."""
    if not is_provider(actor):
        return false()
    return or_(
        Claim.provider_organization_id == actor.organization_id,
        Claim.rendering_organization_id == actor.organization_id,
    )


def network_membership_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `NetworkMembership`: a lead sees its network; a member only its own terms."""
    if not is_provider(actor):
        return false()
    return or_(
        NetworkMembership.lead_organization_id == actor.organization_id,
        NetworkMembership.member_organization_id == actor.organization_id,
    )
