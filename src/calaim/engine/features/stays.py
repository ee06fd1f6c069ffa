"""Stays in hospitals and facilities: unplanned stays, hospital stays, current and recent stays.

All four read the `stay` source, which unions stays derived from institutional claims
(bill type 11x = acute hospital, 21x = skilled nursing) with the `facility_stay` table.
"""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list
from calaim.engine.features.counts import AT_LEAST, MONTHS, VALUE_SET, WindowCount
from calaim.engine.features.plain import SETTINGS, setting_names

FACILITIES = Arg(ArgKind.LIST, help="facility types (contract vocabulary of facility_stay)")


def _stay_detail() -> str:
    """'an acute hospital stay 2024-03-01 to 2024-03-05, claim C1' (plain setting words)."""
    words = " ".join(
        f"WHEN '{code}' THEN '{name.replace(chr(39), chr(39) * 2)}'"
        for code, name in SETTINGS.items()
    )
    setting = f"CASE setting {words} ELSE replace(setting, '_', ' ') END"
    return (
        f"{setting} || ' stay ' || CAST(admission_date AS VARCHAR) || ' to ' || "
        "coalesce(CAST(discharge_date AS VARCHAR), 'ongoing') || "
        "coalesce(', claim ' || claim_id, ', facility stay record')"
    )


class StayCount(WindowCount):
    """Count distinct admission dates of the stays that meet `_condition`."""

    def _condition(self, args: Args, ctx: Context) -> str:
        raise NotImplementedError

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Distinct admission dates of qualifying stays in the window."""
        return f"count(DISTINCT admission_date) FILTER (WHERE {self._condition(args, ctx)})"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The stays counted."""
        return (
            f"SELECT person_id, admission_date AS date, {_stay_detail()} AS detail FROM stay "
            f"WHERE {self._condition(args, ctx)}"
        )


class UnplannedStays(StayCount):
    """Unplanned acute hospital admissions plus short-term skilled nursing stays."""

    name = "unplanned_stays"
    source = "stay"
    summary = "unplanned hospital and short-term SNF stays admitted in the lookback window"
    noun = "unplanned hospital or short-term SNF stay"
    args = {
        "months": MONTHS,
        "at_least": AT_LEAST,
        "snf_max_days": Arg(ArgKind.NUMBER, help="longest SNF stay that counts as short-term"),
        "value_set": VALUE_SET,
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        snf_days = args["snf_max_days"].value
        condition = (
            f"{ctx.in_window('admission_date', args['months'].value)} AND source = 'claim' AND "
            f"((setting = 'acute_hospital' AND unplanned) OR (setting = 'nursing_facility' "
            f"AND date_diff('day', admission_date, coalesce(discharge_date, {ctx.as_of_sql})) "
            f"<= {snf_days}))"
        )
        value_set = args.get("value_set")
        if value_set and value_set.value:
            condition += f" AND list_contains(value_sets, '{value_set.value}')"
        return condition


class HospitalStays(StayCount):
    """Acute or psychiatric hospital stays admitted in the window, planned or not.

    With `value_set`, only stays whose claim carries a matching diagnosis count, except stays
    in `settings_without_dx` (e.g. psychiatric_inpatient for a mental-health test), which
    count whatever the diagnosis: `facility_stay` rows carry no diagnoses at all.
    """

    name = "hospital_stays"
    source = "stay"
    summary = "acute and psychiatric hospital stays admitted in the lookback window"
    noun = "hospital stay"
    args = {
        "months": MONTHS,
        "at_least": AT_LEAST,
        "value_set": VALUE_SET,
        "settings_without_dx": Arg(
            ArgKind.LIST, required=False, help="settings that count without a matching diagnosis"
        ),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        condition = (
            f"{ctx.in_window('admission_date', args['months'].value)} AND "
            "setting IN ('acute_hospital', 'psychiatric_inpatient')"
        )
        value_set = args.get("value_set")
        if value_set and value_set.value:
            matches = f"list_contains(value_sets, '{value_set.value}')"
            settings = args.get("settings_without_dx")
            if settings and settings.value:
                matches = f"({matches} OR setting IN {sql_list(settings.value)})"
            condition += f" AND {matches}"
        return condition

    def describe(self, args: Args) -> str:
        """The window count, noting the settings that count without a diagnosis."""
        text = super().describe(args)
        settings = args.get("settings_without_dx")
        if settings and settings.value:
            text += f" (any stay in {setting_names(settings.value)} counts)"
        return text


class InFacility(Feature):
    """Currently staying in one of the facility types, for at least `min_days` days."""

    name = "in_facility"
    source = "stay"
    summary = "longest current stay (days) in the given facility types on the as-of date"
    args = {
        "facilities": FACILITIES,
        "min_days": Arg(ArgKind.NUMBER, required=False, default=0, help="minimum days so far"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        return (
            f"setting IN {sql_list(args['facilities'].value)} AND admission_date <= "
            f"{ctx.as_of_sql} AND (discharge_date IS NULL OR discharge_date > {ctx.as_of_sql})"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Days since admission of the longest current stay (NULL if none)."""
        return (
            f"max(date_diff('day', admission_date, {ctx.as_of_sql})) "
            f"FILTER (WHERE {self._condition(args, ctx)})"
        )

    def test_sql(self, value: str, args: Args) -> str:
        """A current stay of at least min_days."""
        return f"(coalesce({value}, -1) >= {args['min_days'].value or 0})"

    def describe(self, args: Args) -> str:
        """'staying in a nursing_facility for at least 60 days'."""
        places = setting_names(args["facilities"].value)
        days = args["min_days"].value or 0
        return f"staying in {places} now" + (f" for at least {days} days" if days else "")

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The current stays."""
        return (
            f"SELECT person_id, admission_date AS date, {_stay_detail()} AS detail FROM stay "
            f"WHERE {self._condition(args, ctx)}"
        )


class FacilityDischarge(Feature):
    """Discharged from one of the facility types within the last `days` days."""

    name = "facility_discharge"
    source = "stay"
    summary = "days since the latest discharge from the given facility types"
    args = {
        "facilities": FACILITIES,
        "days": Arg(ArgKind.NUMBER, help="discharge within this many days before the as-of date"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        return (
            f"setting IN {sql_list(args['facilities'].value)} AND discharge_date <= {ctx.as_of_sql}"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Days since the most recent discharge (NULL if never discharged)."""
        return (
            f"min(date_diff('day', discharge_date, {ctx.as_of_sql})) "
            f"FILTER (WHERE {self._condition(args, ctx)})"
        )

    def test_sql(self, value: str, args: Args) -> str:
        """Discharged on or after the day `days` before the as-of date."""
        return f"(coalesce({value} <= {args['days'].value}, FALSE))"

    def describe(self, args: Args) -> str:
        """'discharged from an acute_hospital in the last 30 days'."""
        places = setting_names(args["facilities"].value)
        return f"left {places} in the last {args['days'].value} days"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The discharges."""
        return (
            f"SELECT person_id, discharge_date AS date, {_stay_detail()} AS detail FROM stay "
            f"WHERE {self._condition(args, ctx)}"
        )


UNPLANNED_STAYS = UnplannedStays()
HOSPITAL_STAYS = HospitalStays()
IN_FACILITY = InFacility()
FACILITY_DISCHARGE = FacilityDischarge()
