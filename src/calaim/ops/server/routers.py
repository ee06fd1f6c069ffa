"""Every domain's router. To add a domain, import its `router` and append it to the list."""

from __future__ import annotations

from calaim.ops.assignments.endpoints import router as assignments
from calaim.ops.attachments.endpoints import router as attachments
from calaim.ops.authorizations.endpoints import router as authorizations
from calaim.ops.capacity.endpoints import router as capacity
from calaim.ops.care_plans.endpoints import router as care_plans
from calaim.ops.consents.endpoints import router as part2_consents
from calaim.ops.enrollments.endpoints import router as enrollments
from calaim.ops.http.routing import DomainRouter
from calaim.ops.member_portal.endpoints import router as member_accounts
from calaim.ops.members.endpoints import router as members
from calaim.ops.messages.endpoints import router as messages
from calaim.ops.network.endpoints import router as network
from calaim.ops.notices.endpoints import router as notices
from calaim.ops.notifications.endpoints import router as notifications
from calaim.ops.providers.endpoints import router as providers
from calaim.ops.reentry.endpoints import router as reentry
from calaim.ops.referrals.endpoints import router as referrals
from calaim.ops.screenings.endpoints import router as screenings
from calaim.ops.search.endpoints import router as search
from calaim.ops.services.endpoints import router as service_episodes
from calaim.ops.tasks.endpoints import router as tasks

# Each is served behind sign-in, idempotent POSTs and the common error responses (app.py).
DOMAIN_ROUTERS: list[DomainRouter] = [
    members,
    referrals,
    assignments,
    enrollments,
    care_plans,
    authorizations,
    service_episodes,
    notices,
    part2_consents,
    search,
    messages,
    attachments,
    capacity,
    notifications,
    tasks,
    providers,
    network,
    member_accounts,
    reentry,
    screenings,
]
