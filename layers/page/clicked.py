"""Which event a clicked map feature names."""

from __future__ import annotations

import re


def event_in_tooltip(tooltip: str, event_ids: tuple[str, ...]) -> str | None:
    """The first event id that *tooltip* (a clicked feature's text) names, if any."""
    for event_id in event_ids:
        if re.search(rf"(?<![\w-]){re.escape(event_id)}(?![\w-])", tooltip):
            return event_id
    return None
