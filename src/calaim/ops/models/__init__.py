"""Operational models, one per file; importing this package registers them all."""

from calaim.ops.models.api_key import ApiKey
from calaim.ops.models.attachment import Attachment
from calaim.ops.models.audit_event import AuditEvent
from calaim.ops.models.authorization import (
    Authorization,
    AuthorizationStatus,
    DecisionBasis,
    Urgency,
)
from calaim.ops.models.base import Base
from calaim.ops.models.billing import Claim, ClaimLine, EcmEncounter, Remittance  # noqa: F401
from calaim.ops.models.care_plan import CarePlan
from calaim.ops.models.consent import ConsentRequestStatus, Part2Consent, Part2ConsentRequest
from calaim.ops.models.contact_change import ContactField, MemberContactChange
from calaim.ops.models.determination import MemberDetermination
from calaim.ops.models.enrollment import Acuity, AssignmentReason, Enrollment, EnrollmentStatus
from calaim.ops.models.enrollment_rules import ONE_ACTIVE_ENROLLMENT
from calaim.ops.models.exchange_file import ExchangeFile  # noqa: F401
from calaim.ops.models.fhir_link import FhirReferralLink
from calaim.ops.models.idempotency_key import IdempotencyKey
from calaim.ops.models.inbox import (  # noqa: F401
    EmailOutbox,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxStatus,
)
from calaim.ops.models.letter import AuthorizationReview, Letter, LetterKind, ReviewAction  # noqa: F401
from calaim.ops.models.member import Member
from calaim.ops.models.member_account import (  # noqa: F401
    AccountHolder,
    MemberAccount,
    MemberSignInCode,
)
from calaim.ops.models.message import Message
from calaim.ops.models.network import (  # noqa: F401
    NetworkDistribution,
    NetworkMembership,
    NetworkRoute,
)
from calaim.ops.models.notice import Notice, NoticeChannel, NoticeKind, NoticeRecipient
from calaim.ops.models.organization import Organization, OrganizationKind
from calaim.ops.models.outreach import OutreachAttempt, OutreachMethod, OutreachOutcome
from calaim.ops.models.person_link import LinkedPerson, PersonRecord, RosterKind, RosterReport
from calaim.ops.models.provider_application import (  # noqa: F401
    ApplicationLine,
    LineDecision,
    ProviderApplication,
)
from calaim.ops.models.provider_credential import (  # noqa: F401
    CredentialKind,
    ProviderCredential,
    ProviderDocument,
    ProviderSite,
)
from calaim.ops.models.provider_profile import ProviderProfile
from calaim.ops.models.reentry import (
    MediCalStatus,
    ReentryCase,
    ReentryEvent,
    ReentryEventKind,
    ReentryStatus,
)
from calaim.ops.models.referral import (
    Referral,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
    ReferralTransition,
)
from calaim.ops.models.referral_form import ContactPreference, ReferralForm, ReferralUrgency
from calaim.ops.models.referral_party import ReferralParty
from calaim.ops.models.saved_view import SavedView
from calaim.ops.models.service_episode import EpisodeStatus, ServiceDelivery, ServiceEpisode
from calaim.ops.models.sign_in import SignInCounter, SignInSession
from calaim.ops.models.status_change import StatusChange
from calaim.ops.models.task import Task, TaskKind, TaskStatus  # noqa: F401
from calaim.ops.models.user import Role, User

__all__ = [
    "ONE_ACTIVE_ENROLLMENT",
    "Acuity",
    "ApiKey",
    "AssignmentReason",
    "Attachment",
    "AuditEvent",
    "Authorization",
    "AuthorizationStatus",
    "Base",
    "CarePlan",
    "ConsentRequestStatus",
    "ContactField",
    "ContactPreference",
    "DecisionBasis",
    "Enrollment",
    "EnrollmentStatus",
    "EpisodeStatus",
    "FhirReferralLink",
    "IdempotencyKey",
    "LinkedPerson",
    "MediCalStatus",
    "Member",
    "MemberContactChange",
    "MemberDetermination",
    "Message",
    "Notice",
    "NoticeChannel",
    "NoticeKind",
    "NoticeRecipient",
    "Organization",
    "OrganizationKind",
    "OutreachAttempt",
    "OutreachMethod",
    "OutreachOutcome",
    "Part2Consent",
    "Part2ConsentRequest",
    "PersonRecord",
    "ProviderProfile",
    "ReentryCase",
    "ReentryEvent",
    "ReentryEventKind",
    "ReentryStatus",
    "Referral",
    "ReferralEvent",
    "ReferralForm",
    "ReferralParty",
    "ReferralSource",
    "ReferralStatus",
    "ReferralTransition",
    "ReferralUrgency",
    "Role",
    "RosterKind",
    "RosterReport",
    "SavedView",
    "ServiceDelivery",
    "ServiceEpisode",
    "SignInCounter",
    "SignInSession",
    "StatusChange",
    "Urgency",
    "User",
]
