"""Importers: foreign formats (ACLED, UCDP, vector files) to native tables.

The registry below is every import format the opener knows. A new
column-mapped format (a CSV export with one event a row) is one module that
defines a :class:`~layers.catalogue.importers.mapped.ColumnMapping` and one
line in ``COLUMN_MAPPED``.
"""

from __future__ import annotations

from layers.catalogue.importers import acled, features, ucdp
from layers.catalogue.importers.mapped import ColumnMapping
from layers.catalogue.importers.native import Importer

#: CSV formats told apart by their header, in the order they are tried.
COLUMN_MAPPED: dict[str, ColumnMapping] = {
    "acled": acled.MAPPING,
    "ucdp": ucdp.MAPPING,
}
#: Every import format by the name ``open.detect`` gives it.
IMPORTERS: dict[str, Importer] = {
    **{kind: mapping.importer for kind, mapping in COLUMN_MAPPED.items()},
    "features": features.IMPORTER,
}


def csv_format(header: list[str]) -> str | None:
    """The column-mapped format whose signature *header* has, if any."""
    for kind, mapping in COLUMN_MAPPED.items():
        if mapping.looks_like(header):
            return kind
    return None
