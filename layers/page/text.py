"""The page's fixed wording: title, introduction, prompts."""

from __future__ import annotations

PAGE_TITLE = "Strike map: 29 Dec 2019"
TITLE = "US strikes on Kata'ib Hezbollah, 29 December 2019"
INTRO = (
    "Five sites were struck (three near al-Qa'im, Iraq; two in Syria's Euphrates "
    "valley); none was disclosed. Each is drawn as the area its sources allow, "
    "never as a pin."
)
CARD_PICKER = "Provenance card: click a zone or event on the map, or pick one"
