"""Import an HSDS 3.0 tabular package (CSV files, a folder or a zip): every problem named by
file, row and column, and nothing written unless the whole package is sound.

The tables read (HSDS 3.0 tabular names; other tables are ignored):

- `organizations.csv` (required): `id`, `name`;
- `services.csv` (required): `id`, `organization_id`, `name`, and the calaim program either in
  a `program` column (calaim's own export) or as an `attributes.csv` row (`link_id` = the
  service, `taxonomy_term_id`) naming a `taxonomy_terms.csv` term whose `taxonomy` is
  `calaim-program` and whose `code` is the program id;
- `locations.csv`: `id`, `organization_id`, `name`; the address from `addresses.csv`
  (`location_id`, `address_1`, `city`, `region` = the county, `postal_code`) or from the same
  columns on the location row (calaim's export);
- `languages.csv`: `code` (or a language name) for a `service_id` or a `location_id`;
- `service_capacities.csv` (HSDS 3.1): `service_id`, `maximum`.

Rows are counted as data rows (the header is not counted), as elsewhere in calaim. What is
read becomes the same checked organizations as the JSON form (`importer.Found`), written by
`importer.apply`.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from calaim.exchange.hsds.export import VOCABULARY, program_registry
from calaim.exchange.hsds.importer import Found, HsdsInvalid
from calaim.ops.errors import InvalidRequest
from calaim.ops.members.languages import language_code

Row = dict[str, str]
REQUIRED = {
    "organizations.csv": ("id", "name"),
    "services.csv": ("id", "organization_id", "name"),
    "locations.csv": ("id", "organization_id", "name"),
    "addresses.csv": ("location_id", "address_1", "city", "region", "postal_code"),
    "languages.csv": ("code",),
    "service_capacities.csv": ("service_id", "maximum"),
    "attributes.csv": ("link_id", "taxonomy_term_id"),
    "taxonomy_terms.csv": ("id", "code"),
}
ADDRESS = {"address_1": 200, "city": 100, "region": 60, "postal_code": 10}
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Package:
    """The package's tables as rows, and the problems found so far."""

    tables: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, file: str, row: int | None, column: str | None, message: str) -> None:
        """Record one problem at `file, row N, column C`."""
        where = ", ".join(
            [file]
            + ([f"row {row}"] if row is not None else [])
            + ([f"column {column}"] if column else [])
        )
        self.problems.append(f"{where}: {message}")

    def rows(self, name: str) -> list[tuple[int, Row]]:
        """(data row number, row) of a table (none when the file is absent)."""
        return list(enumerate(self.tables.get(name, []), start=1))


def _parse(name: str, data: bytes, package: Package) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        package.problem(name, None, None, f"not UTF-8 text (byte {error.start}); save it as UTF-8")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED.get(name, ()) if c not in columns]
    for column in missing:
        package.problem(name, None, column, "this required column is missing from the header")
    if missing:
        return
    try:
        package.tables[name] = [
            {
                (k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
                for k, v in row.items()
            }
            for row in reader
        ]
    except csv.Error as error:
        package.problem(name, reader.line_num, None, f"not readable as CSV ({error})")


def read_files(files: dict[str, bytes]) -> list[Found]:
    """The checked organizations of a package given as {file name: content}."""
    package = Package()
    for name in ("organizations.csv", "services.csv"):
        if name not in files:
            package.problem(name, None, None, "the package has no such file; it is required")
    for name, data in files.items():
        if name in REQUIRED:
            _parse(name, data, package)
    if package.problems:
        raise HsdsInvalid(package.problems)
    return _Reader(package).organizations()


def read_zip(data: bytes) -> list[Found]:
    """The checked organizations of a zipped package (CSV files at any depth)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_BYTES:
            raise HsdsInvalid([f"the zip holds more than {MAX_BYTES // 1_048_576} MB of files"])
        files = {Path(m.filename).name: archive.read(m) for m in members}
    except (zipfile.BadZipFile, OSError) as error:
        raise HsdsInvalid([f"not a readable zip file ({error})"]) from error
    return read_files(files)


def read_folder(folder: Path) -> list[Found]:
    """The checked organizations of a package folder."""
    return read_files({p.name: p.read_bytes() for p in folder.glob("*.csv") if p.is_file()})


def _norm(raw: str) -> str:
    """An id as calaim keys it (a UUID in its canonical form, else the text in lower case)."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return raw.strip().lower()


class _Reader:
    """Cross-table checks: ids, references, programs, languages, capacity, addresses."""

    def __init__(self, package: Package) -> None:
        self.p = package
        self.orgs: dict[str, Found] = {}
        self.service_org: dict[str, Found] = {}
        self.spoken_at: dict[str, list[str]] = {}

    def _id(self, file: str, n: int, row: Row, column: str, seen: set[str]) -> str | None:
        raw = row.get(column, "")
        try:
            value = str(uuid.UUID(raw))
        except ValueError:
            self.p.problem(file, n, column, f"{raw!r} is not a UUID (HSDS ids are UUIDs)")
            return None
        if value in seen:
            self.p.problem(file, n, column, f"{raw!r} appears twice; each id must be unique")
            return None
        seen.add(value)
        return value

    def _text(self, file: str, n: int, row: Row, column: str, limit: int = 200) -> str:
        value = row.get(column, "")
        if not value:
            self.p.problem(file, n, column, "required text is missing")
        elif len(value) > limit:
            self.p.problem(file, n, column, f"longer than {limit} characters")
        return value[:limit]

    def _owner(self, file: str, n: int, row: Row) -> Found | None:
        raw = row.get("organization_id", "")
        found = self.orgs.get(_norm(raw))
        if found is None:
            self.p.problem(file, n, "organization_id", f"{raw!r} is not an id in organizations.csv")
        return found

    def organizations(self) -> list[Found]:
        seen: set[str] = set()
        for n, row in self.p.rows("organizations.csv"):
            key = self._id("organizations.csv", n, row, "id", seen)
            name = self._text("organizations.csv", n, row, "name")
            if key is not None:
                self.orgs[key] = Found(uuid.UUID(key), name)
        self._services()
        self._locations()
        self._languages()
        self._capacities()
        if self.p.problems:
            raise HsdsInvalid(self.p.problems)
        return list(self.orgs.values())

    def _programs_by_service(self) -> dict[str, list[tuple[int, str]]]:
        """Program codes attributed to each service (with the attributes.csv row)."""
        terms = {
            _norm(row.get("id", "")): row
            for _n, row in self.p.rows("taxonomy_terms.csv")
            if row.get("taxonomy", VOCABULARY) == VOCABULARY
        }
        found: dict[str, list[tuple[int, str]]] = {}
        for n, row in self.p.rows("attributes.csv"):
            if row.get("link_entity", "service") not in ("", "service"):
                continue
            term = terms.get(row.get("taxonomy_term_id", "").lower())
            if term is not None:
                found.setdefault(_norm(row["link_id"]), []).append((n, term.get("code", "")))
        return found

    def _services(self) -> None:
        attributed = self._programs_by_service()
        seen: set[str] = set()
        file = "services.csv"
        for n, row in self.p.rows(file):
            key = self._id(file, n, row, "id", seen)
            self._text(file, n, row, "name")
            org = self._owner(file, n, row)
            if key is None or org is None:
                continue
            self.service_org[key] = org
            codes = [(n, row["program"], file, "program")] if row.get("program") else []
            codes += [
                (a, c, "attributes.csv", "taxonomy_term_id") for a, c in attributed.get(key, [])
            ]
            if not codes:
                self.p.problem(
                    file,
                    n,
                    "program",
                    f"name the program: a program column or an attribute with a {VOCABULARY} "
                    "taxonomy term",
                )
            for at, code, where, column in codes:
                if code not in program_registry():
                    self.p.problem(
                        where, at, column, f"{code!r} is not a program in the policy registry"
                    )
                elif code not in org.programs:
                    org.programs.append(code)

    def _locations(self) -> None:
        addresses = {
            _norm(row.get("location_id", "")): (n, row) for n, row in self.p.rows("addresses.csv")
        }
        seen: set[str] = set()
        file = "locations.csv"
        for n, row in self.p.rows(file):
            key = self._id(file, n, row, "id", seen)
            name = self._text(file, n, row, "name")
            org = self._owner(file, n, row)
            if key is None or org is None:
                continue
            where, at, address = (
                ("addresses.csv", *addresses[key]) if key in addresses else (file, n, row)
            )
            values = {c: self._text(where, at, address, c, limit) for c, limit in ADDRESS.items()}
            self.spoken_at[key] = []
            org.sites.append(
                {
                    "id": uuid.UUID(key),
                    "name": name,
                    "address_line": values["address_1"],
                    "city": values["city"],
                    "county": values["region"],
                    "zip_code": values["postal_code"],
                    "languages": self.spoken_at[key],
                }
            )

    def _code(self, n: int, row: Row) -> str | None:
        try:
            code = language_code(row.get("code") or row.get("name"), field="code")
        except InvalidRequest as error:
            self.p.problem("languages.csv", n, "code", str(error).removeprefix("code "))
            return None
        if code is None:
            self.p.problem("languages.csv", n, "code", "required text is missing")
        return code

    def _languages(self) -> None:
        for n, row in self.p.rows("languages.csv"):
            service = _norm(row["service_id"]) if row.get("service_id") else ""
            location = _norm(row["location_id"]) if row.get("location_id") else ""
            if service and service not in self.service_org:
                self.p.problem(
                    "languages.csv", n, "service_id", f"{service!r} is not an id in services.csv"
                )
                continue
            if location and location not in self.spoken_at:
                self.p.problem(
                    "languages.csv", n, "location_id", f"{location!r} is not an id in locations.csv"
                )
                continue
            code = self._code(n, row)
            if code is None:
                continue
            if service and code not in self.service_org[service].languages:
                self.service_org[service].languages.append(code)
            if location and code not in self.spoken_at[location]:
                self.spoken_at[location].append(code)

    def _capacities(self) -> None:
        file = "service_capacities.csv"
        for n, row in self.p.rows(file):
            service = row.get("service_id", "")
            org = self.service_org.get(_norm(service))
            if org is None:
                self.p.problem(file, n, "service_id", f"{service!r} is not an id in services.csv")
                continue
            raw = row.get("maximum", "")
            if not raw.isdigit() or int(raw) > 100_000:
                self.p.problem(file, n, "maximum", f"{raw!r}: give a whole number from 0 to 100000")
                continue
            org.capacity = max(org.capacity, int(raw))
