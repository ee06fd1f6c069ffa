"""SQL (DuckDB) that puts identifying details in one form, for roster rows and known people
alike, so that comparisons see "José  de la Cruz" and "JOSE DELACRUZ" as the same name."""

from __future__ import annotations

DATE_FORMATS = "['%Y-%m-%d', '%m/%d/%Y', '%Y%m%d']"


def name_sql(column: str) -> str:
    """Upper-case letters only, accents removed."""
    return f"nullif(regexp_replace(upper(strip_accents(trim({column}))), '[^A-Z]', '', 'g'), '')"


def text_sql(column: str) -> str:
    """Trimmed, inner spaces collapsed, upper case; empty is null."""
    return f"nullif(upper(regexp_replace(trim({column}), '\\s+', ' ', 'g')), '')"


def date_sql(column: str) -> str:
    """A date from ISO, US (MM/DD/YYYY) or compact text; anything else is null."""
    return f"cast(try_strptime(trim({column}), {DATE_FORMATS}) as date)"


def sex_sql(column: str) -> str:
    """`M`, `F`, or null (unknown and other values say nothing for matching)."""
    return (
        f"case when upper(trim({column})) in ('M', 'MALE') then 'M' "
        f"when upper(trim({column})) in ('F', 'FEMALE') then 'F' end"
    )


def zip_sql(column: str) -> str:
    """The five-digit ZIP code."""
    return f"nullif(substr(regexp_replace({column}, '[^0-9]', '', 'g'), 1, 5), '')"


def phone_sql(column: str) -> str:
    """The ten-digit phone number (a leading country code 1 dropped)."""
    return f"nullif(right(regexp_replace({column}, '[^0-9]', '', 'g'), 10), '')"


NORMALIZERS = {
    "cin": lambda c: f"nullif(upper(trim({c})), '')",
    "member_id": lambda c: f"nullif(trim({c}), '')",
    "first_name": name_sql,
    "last_name": name_sql,
    "birth_date": date_sql,
    "sex": sex_sql,
    "address_line": text_sql,
    "city": text_sql,
    "zip_code": zip_sql,
    "phone": phone_sql,
    "plan_code": text_sql,
    "assigned_provider": lambda c: f"nullif(trim({c}), '')",
    "eligibility_end_date": date_sql,
}

# The columns Splink compares (both sides of a linkage have exactly these).
LINKAGE_COLUMNS = (
    "cin",
    "first_name",
    "last_name",
    "birth_date",
    "sex",
    "zip_code",
    "phone",
)


def normalized_select(table: str, columns: list[str]) -> str:
    """`select` of each column of `table` in normal form (other columns passed as they are)."""
    parts = [f"{NORMALIZERS[c](c)} as {c}" if c in NORMALIZERS else c for c in columns]
    return f"select {', '.join(parts)} from {table}"
