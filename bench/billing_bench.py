"""Benchmark: exporting 100,000 claims as one X12 837P 5010 file.

Not a test. It makes a synthetic batch of claims (one billing provider, one plan, each claim
with two service lines and a prior authorization), then times, median of `--rounds`:

- **export**: `write_837` (every segment built from the claims, envelopes, 20 transactions
  of 5,000 claims) plus writing the file: what `calaim exchange bill` does after pricing;
- **baseline**: joining and writing the same bytes already rendered (the floor: no X12
  logic at all), in the same process, so the ratio shows the writer's own cost.

pyx12 validation is **not** in the export figure: it is timed apart on `--validate-claims`
claims (default 2,000) and the rate is extrapolated, since the real export always validates.

    uv run python bench/billing_bench.py --claims 100000 --rounds 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from calaim.exchange.x12.claims837 import write_837
from calaim.exchange.x12.validation import validate
from calaim.ops.billing.export import (
    Address,
    BillingProvider,
    ClaimBatch,
    ExportClaim,
    ExportLine,
)

TARGET_SECONDS = 5.0
AT = dt.datetime(2025, 10, 2, 9, 30, tzinfo=dt.UTC)


def batch(count: int) -> ClaimBatch:
    """`count` two-line recuperative care claims."""
    provider = BillingProvider(
        "Harbor Recuperative Care",
        "1245319599",
        "953456789",
        Address("200 Harbor Blvd", "Los Angeles", "CA", "900121234"),
        "2135550123",
    )
    home = Address("1 Elm St", "Los Angeles", "CA", "90012")
    claims = []
    for n in range(count):
        first = dt.date(2025, 9, 1 + n % 28)
        lines = tuple(
            ExportLine("T2033", ("U6",), Decimal("200.00"), Decimal(1), day, day)
            for day in (first, first + dt.timedelta(days=1))
        )
        claims.append(
            ExportClaim(
                f"C{n:015d}",
                "Member",
                f"Ana{n % 1000}",
                f"9{n:07d}A",
                dt.date(1970, 5, 17),
                "F",
                home,
                "LACARE",
                "L.A. Care Health Plan",
                "Z7689",
                f"3f2b6c1e-0000-4000-8000-{n:012d}",
                Decimal("400.00"),
                lines,
            )
        )
    return ClaimBatch(provider, "LACARE", tuple(claims))


def timed(action: object, rounds: int) -> list[float]:
    """Wall-clock seconds of `rounds` runs."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        results.append(time.perf_counter() - start)
    return results


def main() -> None:
    """Run the benchmark and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--validate-claims", type=int, default=2_000)
    args = parser.parse_args()
    claims = batch(args.claims)
    folder = Path(tempfile.mkdtemp(prefix="billing-bench-"))
    rendered = write_837(claims, control_number=1, produced_at=AT).split("~")

    def export() -> None:
        text = write_837(claims, control_number=1, produced_at=AT)
        (folder / "claims.837").write_text(text, encoding="ascii")

    def baseline() -> None:
        (folder / "floor.837").write_text("~".join(rendered), encoding="ascii")

    export_times, floor_times = timed(export, args.rounds), timed(baseline, args.rounds)
    small = batch(args.validate_claims)
    small_text = write_837(small, control_number=2, produced_at=AT)
    start = time.perf_counter()
    issues = validate(small_text)
    validation = time.perf_counter() - start
    size = (folder / "claims.837").stat().st_size
    export_median, floor_median = statistics.median(export_times), statistics.median(floor_times)
    per_claim = validation / args.validate_claims
    print(f"claims: {args.claims:,} ({size / 1e6:.1f} MB, {len(rendered):,} segments)")
    print(
        f"export (build + write 837P, no validation): median {export_median:.2f} s "
        f"over {args.rounds} rounds {[round(t, 2) for t in export_times]}"
    )
    print(
        f"baseline (write pre-rendered bytes): median {floor_median:.3f} s; "
        f"ratio export/baseline {export_median / floor_median:.1f}x"
    )
    print(
        f"target {TARGET_SECONDS:.0f} s: {'met' if export_median < TARGET_SECONDS else 'MISSED'}"
        f" ({export_median / TARGET_SECONDS:.0%} of it)"
    )
    print(
        f"pyx12 validation: {args.validate_claims:,} claims in {validation:.1f} s "
        f"({'valid' if not issues else f'{len(issues)} issues'}); "
        f"{per_claim * 1000:.1f} ms/claim, about {per_claim * args.claims:.0f} s "
        f"for {args.claims:,} claims"
    )


if __name__ == "__main__":
    main()
