"""The page's offer for a file with some bad rows: the refused rows, the rest.

When an upload is refused for bad rows, the page shows how many rows were
read and refused, offers the refused rows as a CSV (each cell made safe for
spreadsheets, ``geo.safe.csv_cell``) and a button "Load the N valid rows".
Nothing is loaded until the user asks, and nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Any, Protocol

from geo.errors import StrikeMapError
from geo.safe import csv_cell
from layers.catalogue.partial import PartialRead, read_valid_rows


@dataclass(frozen=True)
class Offer:
    """What the page offers for a partly bad upload.

    Attributes
    ----------
    summary
        ``"N rows read, M refused"``.
    button
        The button's label ("Load the 7 valid rows").
    csv, csv_name
        The refused rows as CSV bytes, and the download's file name.
    key
        The uploaded file's SHA-256, so the choice holds for that file only.
    data
        The valid rows as a file of the upload's format.
    """

    summary: str
    button: str
    csv: bytes
    csv_name: str
    key: str
    data: bytes


def refused_csv(partial: PartialRead) -> bytes:
    """The refused rows as CSV (row, column, value, reason), spreadsheet-safe."""
    table = partial.refused.astype(str).map(csv_cell)
    return table.to_csv(index=False).encode("utf-8")


def offer(name: str, data: bytes) -> Offer | None:
    """The offer for an upload that was refused, or None if none can be made.

    None when the file cannot be read in part (not ACLED or UCDP, a problem
    with the whole file, or no valid row): the page then shows the error only.
    """
    try:
        partial = read_valid_rows(data, name=name)
    except StrikeMapError:
        return None
    if partial.refused.empty:
        return None
    valid = len(partial.catalogue.events)
    return Offer(
        summary=partial.summary(),
        button=f"Load the {valid} valid row{'s' if valid != 1 else ''}",
        csv=refused_csv(partial),
        csv_name=f"{PurePath(name).stem}-refused-rows.csv",
        key=hashlib.sha256(data).hexdigest(),
        data=partial.data,
    )


def chosen(
    file: UploadedFile | None, mode: str, state: Mapping[str, object]
) -> tuple[str, bytes, str] | None:
    """The upload to read: ``(file name, bytes, mode)``, or None without a file.

    The file's valid rows instead of its bytes when the user asked for them
    for this very file (the button of :func:`offer_widgets`).
    """
    if file is None:
        return None
    name, data = file.name, file.getvalue()
    accepted = state.get(VALID_ROWS_KEY)
    if isinstance(accepted, tuple) and accepted[0] == hashlib.sha256(data).hexdigest():
        return name, accepted[1], mode
    return name, data, mode


class UploadedFile(Protocol):
    """What the page's file uploader gives: a name and the bytes."""

    name: str

    def getvalue(self) -> bytes:
        """The file's bytes."""
        ...


def show(container: object, items: list[tuple[str, dict[str, Any]]]) -> None:
    """Call ``container.<element>(**kwargs)`` for each of *items*, in order."""
    for element, kwargs in items:
        getattr(container, element)(**kwargs)


#: Where the page keeps the user's choice (``chosen``'s *accepted*).
VALID_ROWS_KEY = "_valid_rows"


def accept(state: MutableMapping[str, object], offer: Offer) -> None:
    """Record that the user asked for *offer*'s valid rows (a button callback)."""
    state[VALID_ROWS_KEY] = (offer.key, offer.data)


def offer_widgets(
    file: UploadedFile, state: MutableMapping[str, object]
) -> list[tuple[str, dict[str, Any]]]:
    """The page elements of the offer for a refused upload (none if no offer).

    Returns
    -------
    ``(element, keyword arguments)`` pairs for the sidebar: the counts, the
    refused rows' download and the button that loads the valid rows.
    """
    made = offer(file.name, file.getvalue())
    if made is None:
        return []
    return [
        ("markdown", {"body": made.summary}),
        (
            "download_button",
            {
                "label": "Download the refused rows (CSV)",
                "data": made.csv,
                "file_name": made.csv_name,
                "mime": "text/csv",
            },
        ),
        ("button", {"label": made.button, "on_click": partial(accept, state, made)}),
    ]
