"""The enrolled demo member's care plan: written after the assessment, revised since."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.care_plans.content import CarePlanContent
from calaim.ops.care_plans.service import CarePlanService
from calaim.ops.demo.world import LCM, DemoWorld, at
from calaim.ops.models import Enrollment

FIRST = CarePlanContent(
    assessment_started_on=dt.date(2024, 10, 8),
    assessment_completed_on=dt.date(2024, 10, 21),
    goals=[
        {
            "description": "Move into stable housing",
            "target_date": "2025-04-30",
            "status": "in_progress",
        },
        {
            "description": "Keep every diabetes appointment for 3 months",
            "target_date": "2025-01-31",
            "status": "in_progress",
        },
    ],
    interventions=[
        {
            "description": "Housing navigation referral (Community Supports)",
            "responsible": "lead care manager",
            "due_date": "2024-11-01",
        },
        {
            "description": "Weekly check-in by phone or in person",
            "responsible": "lead care manager",
            "due_date": "2024-10-28",
        },
    ],
    care_team=[
        {
            "name": "LCM (demo)",
            "role": "lead care manager",
            "organization": "Eastside Care Management",
            "contact": "(213) 555-0110",
        },
        {
            "name": "Dr. Patel",
            "role": "primary care physician",
            "organization": "Valley Community Clinic",
        },
        {
            "name": "J. Moreno",
            "role": "behavioral health clinician",
            "organization": "County Behavioral Health",
        },
    ],
)


def write_care_plan(session: Session, world: DemoWorld, enrollment: Enrollment) -> None:
    """Create the care plan after the assessment, then revise it at a care conference."""
    service = CarePlanService(session, world.users[LCM])
    first_on = dt.date(2024, 10, 22)
    plan = service.save(
        enrollment.id, FIRST, expected_version=None, today=first_on, now=at(first_on, 15)
    )
    goals = [
        {**FIRST.goals[0], "status": "met", "note": "housed since 2025-03-14"},
        {**FIRST.goals[1], "status": "met"},
        {"description": "A1c below 8", "target_date": "2026-01-31", "status": "in_progress"},
    ]
    revised = dataclasses.replace(FIRST, last_care_conference_on=dt.date(2025, 9, 10), goals=goals)
    revised_on = dt.date(2025, 9, 10)
    version = plan.version
    service.save(
        enrollment.id, revised, expected_version=version, today=revised_on, now=at(revised_on, 15)
    )
