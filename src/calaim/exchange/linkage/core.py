"""The linkage core, all in DuckDB: Splink scores pairs within the incoming file (duplicates)
and between known records and the incoming file; clusters of duplicates take the person of
their best known match.

Input tables (same connection): `incoming` (from `checks.py`) and `known` (unique_id `k...`,
the linkage columns, and `person_key`: the stable person id or a member's key). Output: the
table `linked`, one row per incoming record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
from splink import DuckDBAPI, Linker

from calaim.exchange.linkage.model import LinkageModel
from calaim.exchange.linkage.normalize import LINKAGE_COLUMNS

LINKED = "linked"
Stage = Callable[[str], None]


@dataclass(frozen=True)
class LinkCounts:
    """What the core found, in counts."""

    rows: int
    pairs_scored: int
    clusters: int


def _noop(_stage: str) -> None:
    return None


def _view(con: duckdb.DuckDBPyConnection, name: str, table: str) -> None:
    columns = ", ".join(("unique_id", *LINKAGE_COLUMNS))
    con.execute(f"create or replace view {name} as select {columns} from {table}")


def run_linkage(
    con: duckdb.DuckDBPyConnection, model: LinkageModel, stage: Stage = _noop
) -> LinkCounts:
    """Score, cluster and pick each incoming record's person; build the table `linked`."""
    thresholds = model.thresholds
    _view(con, "incoming_link", "incoming")
    _view(con, "known_link", "known")
    api = DuckDBAPI(con)
    incoming = api.register("incoming_link", table_name="incoming_sdf")
    known = api.register("known_link", table_name="known_sdf")
    linker = Linker(incoming, model.splink_settings(), log_level=logging.WARNING)
    stage("block")
    within = linker.inference.predict(
        threshold_match_probability=thresholds.duplicate, warning_mode="never"
    )
    between = linker.inference.predict_between(
        known, incoming, threshold_match_probability=thresholds.review, warning_mode="never"
    )
    stage("score")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        within, threshold_match_probability=thresholds.duplicate
    )
    stage("cluster")
    _best_match(con, clusters.physical_name, between.physical_name, model)
    pairs = con.execute(f"select count(*) from {between.physical_name}").fetchall()[0][0]
    counts = con.execute(f"select count(*), count(distinct cluster_id) from {LINKED}").fetchall()[0]
    return LinkCounts(rows=counts[0], pairs_scored=int(pairs), clusters=counts[1])


def _best_match(
    con: duckdb.DuckDBPyConnection, clusters: str, between: str, model: LinkageModel
) -> None:
    """Each incoming row with its cluster and the cluster's best known match (ties: lowest
    known id, so reruns give the same answer)."""
    gammas = ", ".join(f"b.mw_{name}" for name in model.comparison_names())
    con.execute(
        f"""
        create or replace table {LINKED} as
        with clustered as (
            select i.*, coalesce(c.cluster_id, i.unique_id) as cluster_id
            from incoming i left join {clusters} c on c.unique_id = i.unique_id
        ),
        sizes as (select cluster_id, count(*) as cluster_size from clustered group by 1),
        pairs as (
            select c.cluster_id, b.unique_id_l as known_id, b.match_probability, {gammas},
                row_number() over (
                    partition by c.cluster_id
                    order by b.match_probability desc, b.unique_id_l
                ) as rank
            from {between} b join clustered c on c.unique_id = b.unique_id_r
        )
        select c.*, s.cluster_size, p.* exclude (cluster_id, rank), k.person_key
        from clustered c
        join sizes s using (cluster_id)
        left join pairs p on p.cluster_id = c.cluster_id and p.rank = 1
        left join known k on k.unique_id = p.known_id
        order by c.row_number
        """
    )
