"""Messy rosters from known people, for tests, the benchmark and the walkthrough: typos,
swapped first and last names, moved addresses, new phones, missing CINs, duplicates and new
people, each chosen by a seeded random generator (the same seed gives the same file)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADERS = [
    "CIN",
    "First Name",
    "Last Name",
    "DOB",
    "Sex",
    "Address",
    "City",
    "ZIP",
    "Phone",
    "Plan Code",
    "Eligibility End Date",
]
FIELD_OF = {
    "CIN": "cin",
    "First Name": "first_name",
    "Last Name": "last_name",
    "DOB": "birth_date",
    "Sex": "sex",
    "Address": "address_line",
    "City": "city",
    "ZIP": "zip_code",
    "Phone": "phone",
    "Plan Code": "plan_code",
    "Eligibility End Date": "eligibility_end_date",
}


@dataclass(frozen=True)
class Noise:
    """How often each kind of mess happens (fractions of rows)."""

    typo: float = 0.08
    swapped: float = 0.03
    moved: float = 0.10
    new_phone: float = 0.05
    missing_cin: float = 0.15
    duplicate: float = 0.02
    new_people: float = 0.03
    dropped: float = 0.02


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swap two letters


def messy_row(rng: random.Random, person: dict[str, Any], noise: Noise) -> dict[str, Any]:
    """One roster row for a person, with noise."""
    row = dict(person)
    if rng.random() < noise.typo:
        row["first_name"] = _typo(rng, str(row["first_name"]))
    if rng.random() < noise.swapped:
        row["first_name"], row["last_name"] = row["last_name"], row["first_name"]
    if rng.random() < noise.moved:
        row["address_line"] = f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}"
        row["zip_code"] = f"9{rng.randrange(0, 6000):04d}"
    if rng.random() < noise.new_phone:
        row["phone"] = f"{rng.randrange(200, 999)}{rng.randrange(2000000, 9999999)}"
    if rng.random() < noise.missing_cin:
        row["cin"] = None
    return row


STREETS = ["Main St", "Oak Ave", "Cesar Chavez Ave", "Sunset Blvd", "Pine St", "Alvarado St"]
FIRST = ["Maria", "Jose", "Ana", "Luis", "Carmen", "David", "Linh", "Grace", "Omar", "Rosa"]
LAST = ["Garcia", "Nguyen", "Lopez", "Smith", "Kim", "Hernandez", "Martinez", "Chen", "Brown"]


def new_person(rng: random.Random, index: int) -> dict[str, Any]:
    """A person nobody knows yet."""
    return {
        "cin": f"{rng.randrange(10**7, 10**8)}N",
        "first_name": rng.choice(FIRST) + chr(65 + index % 26).lower(),
        "last_name": rng.choice(LAST) + "son",
        "birth_date": dt.date(
            rng.randrange(1940, 2015), rng.randrange(1, 13), rng.randrange(1, 29)
        ).isoformat(),
        "sex": rng.choice("MF"),
        "address_line": f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}",
        "city": "Los Angeles",
        "zip_code": f"9{rng.randrange(0, 6000):04d}",
        "phone": f"{rng.randrange(200, 999)}{rng.randrange(2000000, 9999999)}",
    }


def messy_roster(
    people: Iterable[dict[str, Any]], seed: int, noise: Noise = Noise()
) -> list[dict[str, Any]]:
    """Rows of a messy roster of `people` (dicts with the layout's field names)."""
    rng = random.Random(seed)
    rows = []
    for person in people:
        if rng.random() < noise.dropped:
            continue
        rows.append(messy_row(rng, person, noise))
        if rng.random() < noise.duplicate:
            rows.append(messy_row(rng, person, noise))
    for index in range(int(len(rows) * noise.new_people)):
        rows.append(new_person(rng, index))
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write roster rows with the sample's headers."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow(
                ["" if row.get(FIELD_OF[h]) is None else row[FIELD_OF[h]] for h in HEADERS]
            )
