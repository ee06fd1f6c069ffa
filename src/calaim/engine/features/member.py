"""Features read from the member's enrollment span on the as-of date: race, county, D-SNP,
hospice."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list


class Race(Feature):
    """The race recorded on the enrollment span is one of the listed ones."""

    name = "race"
    source = "members"
    summary = "race recorded on the enrollment span"
    args = {"races": Arg(ArgKind.LIST, help="races (contract vocabulary)")}

    def value_sql(self, args: Args, ctx: Context) -> str:
        """The recorded race."""
        return "race"

    def test_sql(self, value: str, args: Args) -> str:
        """Race in the list (unknown race does not meet it)."""
        return f"(coalesce({value} IN {sql_list(args['races'].value)}, FALSE))"

    def describe(self, args: Args) -> str:
        """'race is black or african american or ...'."""
        return "race recorded as " + " or ".join(args["races"].value)


class County(Feature):
    """The county of residence on the enrollment span is one of the listed ones."""

    name = "county"
    source = "members"
    summary = "county of residence on the enrollment span"
    args = {"counties": Arg(ArgKind.LIST, help="county names")}

    def value_sql(self, args: Args, ctx: Context) -> str:
        """The county name."""
        return "county"

    def test_sql(self, value: str, args: Args) -> str:
        """County in the list."""
        return f"(coalesce({value} IN {sql_list(args['counties'].value)}, FALSE))"

    def describe(self, args: Args) -> str:
        """'lives in one of 25 counties'."""
        counties = args["counties"].value
        if len(counties) > 4:
            return f"lives in one of {len(counties)} listed counties"
        return "lives in " + " or ".join(counties)


class SpanFlag(Feature):
    """A yes/no read from the enrollment span; subclasses give the SQL and the wording."""

    source = "members"
    args = {}
    flag_sql = "FALSE"
    wording = ""

    def value_sql(self, args: Args, ctx: Context) -> str:
        """The flag (never NULL)."""
        return self.flag_sql

    def test_sql(self, value: str, args: Args) -> str:
        """The flag itself."""
        return f"({value})"

    def describe(self, args: Args) -> str:
        """The plain-English wording."""
        return self.wording


class Dsnp(SpanFlag):
    """Enrolled in a dual special needs plan: snp_type 'D-SNP' on the span."""

    name = "dsnp"
    summary = "snp_type on the enrollment span is D-SNP"
    flag_sql = "coalesce(upper(replace(snp_type, '-', '')) = 'DSNP', FALSE)"
    wording = "enrolled in a dual special needs plan (D-SNP) per the enrollment span"


class HospiceFlag(SpanFlag):
    """The enrollment span's Tuva `hospice_flag` says yes (1, y, yes, t, true; any case)."""

    name = "hospice_flag"
    summary = "hospice_flag on the enrollment span"
    flag_sql = "coalesce(lower(trim(hospice_flag)) IN ('1', 'y', 'yes', 't', 'true'), FALSE)"
    wording = "in hospice per the enrollment span's hospice_flag"


RACE = Race()
HOSPICE_FLAG = HospiceFlag()
COUNTY = County()
DSNP = Dsnp()
