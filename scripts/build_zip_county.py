"""Build src/calaim/policy/reference/ca_zip_county.csv, the California ZIP -> county crosswalk.

Run: python scripts/build_zip_county.py ZCTA_COUNTY_FILE [--with-zipcodes]

ZCTA_COUNTY_FILE is the U.S. Census Bureau's 2020 ZCTA to County Relationship File
(tab20_zcta520_county20_natl.txt, pipe-delimited) or a comma-separated copy of it with the
columns zcta5, fips_code_county, arealand_part. Each California ZCTA gets the California county
holding the largest share of its land area (AREALAND_PART); ZCTAs touching several counties are
flagged (census_rows says which county a ZCTA spanning counties gets).
With --with-zipcodes (needs the `zipcodes` package installed), California ZIP codes
that are not ZCTAs (PO boxes, unique ZIPs) are added with that package's county, flagged as
such. calaim does not need this script at run time.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTIES = ROOT / "src/calaim/policy/reference/counties.csv"
OUT = ROOT / "src/calaim/policy/reference/ca_zip_county.csv"
CENSUS = "census_zcta_county_2020"
ZIPCODES = "zipcodes_3.0.0"


def county_names() -> dict[str, str]:
    """County name by its three-digit FIPS county code (Medi-Cal codes are alphabetical,
    and so are the FIPS codes: 001 Alameda, 003 Alpine, ..., 115 Yuba)."""
    with COUNTIES.open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    return {f"{2 * i + 1:03d}": name for i, name in enumerate(names)}


def read_parts(path: Path) -> dict[str, dict[str, int]]:
    """Land area by ZCTA and five-digit county FIPS, for ZCTAs with any California part."""
    text = path.read_text(encoding="utf-8-sig")
    delimiter = "|" if "|" in text.splitlines()[0] else ","
    parts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in csv.DictReader(text.splitlines(), delimiter=delimiter):
        row = {k.lower(): v for k, v in row.items()}
        zcta = row.get("geoid_zcta5_20") or row["zcta5"]
        county = row.get("geoid_county_20") or row["fips_code_county"]
        if zcta:
            parts[zcta][county] = int(row["arealand_part"] or 0)
    return {z: p for z, p in parts.items() if any(c.startswith("06") for c in p)}


def census_rows(
    parts: dict[str, dict[str, int]], names: dict[str, str], postal: dict[str, str]
) -> list[list[str]]:
    """One row per California ZCTA. A ZCTA in one county takes it; one spanning counties takes
    the county its post office serves (`postal`, when that is one of the ZCTA's counties: land
    area is a poor proxy for where people live, e.g. 92672 San Clemente is mostly Camp
    Pendleton land in San Diego County), else the largest California land share."""
    rows = []
    for zcta in sorted(parts):
        areas = parts[zcta]
        total = sum(areas.values()) or 1
        california = {c: a for c, a in areas.items() if c.startswith("06")}
        best = max(sorted(california), key=lambda c: california[c])
        method = "only_county" if len(areas) == 1 else "largest_land_share"
        if len(areas) > 1 and postal.get(zcta) in california:
            best, method = postal[zcta], "postal_county"
        share = f"{california[best] / total:.4f}"
        rows.append([zcta, names[best[2:]], best, share, str(len(areas)), method, CENSUS])
    return rows


def postal_counties(names: dict[str, str]) -> dict[str, str]:
    """Five-digit county FIPS by California ZIP, from the `zipcodes` package (or empty)."""
    try:
        import zipcodes  # type: ignore[import-not-found]
    except ImportError:
        return {}
    by_name = {name.lower(): fips for fips, name in names.items()}
    found = {}
    for record in zipcodes.filter_by(state="CA"):
        county = (record.get("county") or "").removesuffix(" County").strip().lower()
        if county in by_name:
            found[record["zip_code"]] = f"06{by_name[county]}"
    return found


def zipcodes_rows(
    known: set[str], names: dict[str, str], postal: dict[str, str]
) -> list[list[str]]:
    """ZIP codes that are not ZCTAs (PO boxes, unique ZIPs), with their postal county."""
    return [
        [zip_code, names[fips[2:]], fips, "", "1", "postal_county", ZIPCODES]
        for zip_code, fips in sorted(postal.items())
        if zip_code not in known
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("relationship_file", type=Path)
    parser.add_argument("--with-zipcodes", action="store_true")
    args = parser.parse_args()
    names = county_names()
    postal = postal_counties(names) if args.with_zipcodes else {}
    rows = census_rows(read_parts(args.relationship_file), names, postal)
    rows += zipcodes_rows({row[0] for row in rows}, names, postal)
    rows.sort()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["zip", "county", "county_fips", "land_share", "counties", "method", "source"]
        )
        writer.writerows(rows)
    sys.stderr.write(f"wrote {len(rows)} ZIP codes to {OUT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
