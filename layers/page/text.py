"""The page's fixed wording and widget settings: title, prompts, keys, sizes."""

from __future__ import annotations

from geo.safe import markdown_text
from layers.catalogue import MAX_UPLOAD_MB, UPLOAD_MODES, UPLOAD_TYPES
from layers.map.build import CHANNEL_KEY
from layers.page.timeline import TIMELINE_SELECTION

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


#: Keyword arguments of the sidebar's file uploader.
UPLOADER = {
    "label": upload_label(MAX_UPLOAD_MB),
    "type": list(UPLOAD_TYPES),
    "key": "upload_file",
    "help": UPLOAD_HELP,
}
#: Keyword arguments of the upload mode radio.
UPLOAD_MODE = {
    "label": UPLOAD_MODE_LABEL,
    "options": UPLOAD_MODES,
    "key": "upload_mode",
    "horizontal": True,
    "format_func": UPLOAD_MODE_WORDS.get,
}
#: Keyword arguments of the map component (besides its data and centre).
MAP_WIDGET = {
    "height": 620,
    "use_container_width": True,
    "key": "map",
    "returned_objects": [CHANNEL_KEY],
}
#: Keyword arguments of the timeline chart (besides its click callback).
TIMELINE_WIDGET = {
    "width": "stretch",
    "selection_mode": TIMELINE_SELECTION,
    "key": "timeline",
}
