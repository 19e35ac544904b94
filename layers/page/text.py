"""The page's fixed wording: title, introduction, prompts."""

from __future__ import annotations

from geo.safe import markdown_text

PAGE_TITLE = "Strike map: 29 Dec 2019"
TITLE = "US strikes on Kata'ib Hezbollah, 29 December 2019"
INTRO = (
    "Five sites were struck (three near al-Qa'im, Iraq; two in Syria's Euphrates "
    "valley); none was disclosed. Each is drawn as the area its sources allow, "
    "never as a pin."
)
CARD_PICKER = "Provenance card: click a zone or event on the map, or pick one"
UPLOAD_HEADER = "Your data"
UPLOAD_HELP = (
    "ACLED or UCDP GED CSV export, GeoJSON, GeoPackage, KML, or a zip of a "
    "catalogue folder. It stays in this browser session and is never saved on "
    "the server."
)
UPLOAD_MODE_LABEL = "Uploaded events"
UPLOAD_MODE_WORDS = {
    "merge": "add to the catalogue",
    "replace": "replace the catalogue",
}


def upload_label(max_mb: int) -> str:
    """The upload control's label, with the size limit."""
    return f"Open a file (up to {max_mb} MB)"


def upload_failed(name: str, problem: object) -> str:
    """The message for a file that could not be read (data text made literal)."""
    return (
        f"{markdown_text(name)} was not loaded; the map shows what was loaded "
        f"before.\n\n{markdown_text(problem)}"
    )
