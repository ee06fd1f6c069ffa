"""The closed vocabulary of member facts that rules may test. A new kind of logic is a new
feature module here, with tests; rules combine features, they never hold SQL."""

from __future__ import annotations

from calaim.engine.features import (
    age,
    diagnosis,
    ed_visits,
    fact,
    housing_status,
    lookback,
    member,
    office_visits,
    pregnancy,
    program,
    service_use,
    stays,
)
from calaim.engine.features.base import Feature

FEATURES: dict[str, Feature] = {
    feature.name: feature
    for feature in (
        age.FEATURE,
        ed_visits.FEATURE,
        office_visits.FEATURE,
        stays.UNPLANNED_STAYS,
        stays.HOSPITAL_STAYS,
        stays.IN_FACILITY,
        stays.FACILITY_DISCHARGE,
        diagnosis.FEATURE,
        housing_status.FEATURE,
        program.FEATURE,
        lookback.INCARCERATION_RELEASE,
        lookback.PRE_RELEASE_SERVICE,
        pregnancy.FEATURE,
        fact.FEATURE,
        member.RACE,
        member.COUNTY,
        member.DSNP,
        member.HOSPICE_FLAG,
        service_use.FEATURE,
    )
}
"""Every feature by name."""
