"""Operational models, one per file; importing this package registers them all."""

from calaim.ops.models.api_key import ApiKey
from calaim.ops.models.audit_event import AuditEvent
from calaim.ops.models.base import Base
from calaim.ops.models.member import Member
from calaim.ops.models.organization import Organization, OrganizationKind
from calaim.ops.models.referral import Referral, ReferralSource, ReferralTransition
from calaim.ops.models.user import Role, User

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Base",
    "Member",
    "Organization",
    "OrganizationKind",
    "Referral",
    "ReferralSource",
    "ReferralTransition",
    "Role",
    "User",
]
