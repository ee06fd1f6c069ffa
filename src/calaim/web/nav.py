"""Navigation by role: one table of links, each shown to users holding its permission."""

from __future__ import annotations

from dataclasses import dataclass

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.models import User
from calaim.web.i18n import N_

P = Permission


@dataclass(frozen=True)
class NavLink:
    """A link in the navigation (its label is translated where shown)."""

    path: str
    label: str
    current: bool = False


# (path, label, who sees it: any of these permissions; None: everyone signed in)
NAV: list[tuple[str, str, frozenset[Permission] | None]] = [
    ("/app", N_("My work"), None),
    ("/app/authorizations", N_("Authorizations"), frozenset({P.AUTHORIZATION_DECIDE})),
    ("/app/tasks", N_("Tasks"), frozenset({P.NOTICE_READ})),
    ("/app/referrals", N_("Referrals"), frozenset({P.REFERRAL_READ})),
    ("/app/referrals/new", N_("New referral"), frozenset({P.REFERRAL_CREATE})),
    ("/app/caseload", N_("Caseload"), frozenset({P.OUTREACH_RECORD})),
    # The coverage navigator: whom to refer to (discharge planners and referrers included).
    ("/app/coverage", N_("Coverage"), frozenset({P.MEMBER_READ, P.REFERRAL_CREATE})),
    ("/app/profile", N_("Our profile"), frozenset({P.PROVIDER_PROFILE})),
    ("/app/capacity", N_("Our capacity"), frozenset({P.SERVICE_RECORD, P.ORGANIZATION_ADMIN})),
    (
        "/app/applications",
        N_("Applications"),
        frozenset({P.PROVIDER_PROFILE, P.PROVIDER_CREDENTIALING}),
    ),
    ("/app/network", N_("Our network"), frozenset({P.NETWORK_MANAGE})),
    ("/app/payments", N_("Payment models"), frozenset({P.PROVIDER_PROFILE, P.AGGREGATE_READ})),
    ("/app/dashboards", N_("Dashboards"), frozenset({P.AGGREGATE_READ})),
    ("/app/program", N_("Program view"), frozenset({P.PROGRAM_READ})),
    ("/app/reentry", N_("Reentry"), frozenset({P.REENTRY_READ})),
    ("/app/screenings", N_("Screening"), frozenset({P.SCREENING_SCORE})),
]


def nav_for(actor: User, path: str) -> list[NavLink]:
    """The links `actor` may follow; the one for `path` marked current."""
    links = []
    for target, label, needs in NAV:
        if needs is None or any(allowed(actor, permission) for permission in needs):
            links.append(NavLink(target, label, _is_current(target, path)))
    return links


def _is_current(target: str, path: str) -> bool:
    if target == "/app":
        return path == "/app"
    return path == target or (path.startswith(target + "/") and not path.endswith("/new"))
