"""Code health of the declared layouts and variants: ids, types, code sets, confidence."""

from __future__ import annotations

from importlib import resources

import pytest

from calaim.exchange.filespecs.adapters import file_columns, load_variants
from calaim.exchange.filespecs.code_sets import SOURCES, UnknownCodeSet, codes
from calaim.exchange.filespecs.layout import ColumnType, get_layout, load_layouts

CONFIDENCES = {"verified", "recalled", "assumption"}


def test_every_layout_is_shipped() -> None:
    assert {"mif", "rtf", "otf", "cs_authorization_status", "cs_invoice"} <= set(load_layouts())


@pytest.mark.parametrize("layout_id", sorted(load_layouts()))
def test_layout_is_well_formed(layout_id: str) -> None:
    layout = load_layouts()[layout_id]
    ids = [column.id for column in layout.columns]
    headers = [column.header for column in layout.columns]
    assert len(ids) == len(set(ids)), "column ids must be unique"
    assert len(headers) == len(set(headers)), "headers must be unique"
    assert layout.confidence in CONFIDENCES
    assert layout.sender
    assert layout.receiver
    for column in layout.columns:
        assert isinstance(column.type, ColumnType)
        assert (column.type is ColumnType.CODE) == (column.code_set is not None), column.id
        if column.code_set:
            assert codes(column.code_set), f"{column.id}: empty code set"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_code_sets_resolve(name: str) -> None:
    assert codes(name)


def test_unknown_code_set_is_refused() -> None:
    with pytest.raises(UnknownCodeSet):
        codes("no_such_set")


def test_loop_closure_reason_includes_services_received() -> None:
    assert "services_received" in codes("loop_closure_reason")
    assert "declined" in codes("loop_closure_reason")


def test_unknown_layout_names_the_known_ones() -> None:
    with pytest.raises(LookupError, match="cs_invoice"):
        get_layout("nope")


@pytest.mark.parametrize("variant_id", sorted(load_variants()))
def test_variant_is_well_formed(variant_id: str) -> None:
    variant = load_variants()[variant_id]
    plans = resources.files("calaim.policy").joinpath("plans")
    assert plans.joinpath(f"{variant.plan}.yaml").is_file(), "a variant belongs to a sample plan"
    assert variant.confidence in CONFIDENCES
    assert variant.yes != variant.no
    for layout_id, adapter in variant.layouts.items():
        layout = get_layout(layout_id)
        assert set(adapter.headers) <= set(layout.column_ids)
        headers = [column.header for column in file_columns(layout, variant)]
        assert len(headers) == len(set(headers)), "renamed headers must stay unique"
        for column_id, mapping in adapter.codes.items():
            assert set(mapping) == codes(str(layout.column(column_id).code_set)), column_id
            assert len(set(mapping.values())) == len(mapping), "plan codes must be distinct"
