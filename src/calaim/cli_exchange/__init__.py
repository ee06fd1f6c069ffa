"""`calaim exchange`: DHCS files, roster reconciliation, claims and remittances, FHIR Bundles.

One module per area registers its commands on `exchange_app`.
"""

from __future__ import annotations

import typer

from calaim.cli_exchange import billing, fhir, files, hsds, rosters

exchange_app = typer.Typer(
    help="Exchange data with plans and providers: DHCS files, rosters, X12, FHIR.",
    no_args_is_help=True,
)
for area in (files, rosters, billing, fhir, hsds):
    area.register(exchange_app)
