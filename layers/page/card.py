"""The provenance card of one event or strike zone, as inert HTML.

Every text from the catalogue goes through :func:`geo.safe.html_text` (so it is
neither markup nor template source) and a source URL becomes a link only if
:func:`geo.safe.safe_url` accepts it (absolute http or https); any other URL is
shown as text with a note that the link was withheld. The page renders the card
with ``st.html``, which does not read Markdown, so ``![x](...)`` stays text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.safe import html_text, safe_url
from layers.catalogue.model import PRECISION_CLASSES, TIME_PRECISION
from layers.page import measure
from layers.page.text import CARD_PICKER

#: What the card says in place of a link it will not make.
LINK_WITHHELD = "link withheld, not an http(s) address"


def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html_text(value)


def _date(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _figure(low: object, high: object) -> str:
    if low is None and high is None:
        return "not given"
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"up to {high}"
    return str(low) if low == high else f"{low}-{high}"


def claims_table(claims: list[Mapping[str, Any]]) -> str:
    """Casualty claims side by side, one row per claimant, never summed."""
    if not claims:
        return "<p>No casualty claims recorded.</p>"
    rows = "".join(
        "<tr>"
        f"<td>{_e(c['claimant'])}</td>"
        f"<td>{_e(_figure(c['killed_low'], c['killed_high']))}</td>"
        f"<td>{_e(_figure(c['wounded_low'], c['wounded_high']))}</td>"
        f"<td>{_e(c['detail'])} "
        f"<small>({_e(c['scope'])}; {_e(c['source_ids'])})</small></td>"
        "</tr>"
        for c in claims
    )
    return (
        '<table class="claims"><thead><tr><th>Claimed by</th><th>Killed</th>'
        f"<th>Wounded</th><th>Detail</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p><small>Claims are kept apart: they describe the same events and must "
        "not be added up.</small></p>"
    )


def source_item(source: Mapping[str, Any]) -> str:
    """One source as a list item: a link only for an http(s) URL.

    Any other URL (``javascript:``, ``data:``, relative, empty) is shown as
    text beside the note :data:`LINK_WITHHELD`, never as a link.
    """
    title = _e(source["title"])
    url = safe_url(source.get("url"))
    if url is not None:
        head = (
            f'<a href="{html_text(url)}" target="_blank" '
            f'rel="noopener noreferrer">{title}</a>'
        )
    else:
        raw = _e(source.get("url")) or "no address"
        head = f"{title} <small>({LINK_WITHHELD}: {raw})</small>"
    published = f" ({_e(source['published'])})" if source.get("published") else ""
    return (
        f"<li>{head} &mdash; {_e(source.get('outlet'))}{published}"
        f"{evidence_note(source)}</li>"
    )


def evidence_note(source: Mapping[str, Any]) -> str:
    """The archived copy (a link beside the live one) and whether a capture is held.

    Empty for a source without evidence columns (an older catalogue, an import).
    """
    parts = []
    archive = safe_url(source.get("archive_url"))
    captured = _e(source.get("archive_captured"))
    when = f" of {captured}" if captured else ""
    if archive is not None:
        parts.append(
            f'<a href="{html_text(archive)}" target="_blank" '
            f'rel="noopener noreferrer">archived copy{when}</a>'
        )
    elif "archive_url" in source:
        parts.append("no archived copy")
    if source.get("capture_sha256"):
        parts.append(
            f"capture held (sha256 {_e(str(source['capture_sha256'])[:12])}&hellip;)"
        )
    elif "capture_file" in source:
        parts.append("no capture held")
    return f" <small>[{'; '.join(parts)}]</small>" if parts else ""


def card_html(
    event: Mapping[str, Any],
    zone: Mapping[str, Any] | None = None,
    *,
    distances: str = "",
) -> str:
    """The provenance card for *event* (a catalogue row), with its zone if it has one.

    Parameters
    ----------
    event
        A row of the events layer.
    zone
        The matching row of ``strike_zones``, whose derivation and area are shown.
    distances
        The distances paragraph (HTML from :func:`layers.page.measure.distances_html`).

    Returns
    -------
    HTML in which every text from data is escaped and every link is http(s).
    """
    start, end = _date(event["date_start"]), _date(event["date_end"])
    when = start if start == end else f"{start} to {end}"
    klass = str(event["precision_class"])
    radius_km = float(event["uncertainty_m"]) / 1000
    parts = [
        f'<div class="card"><h4>{_e(event["title"])}</h4>',
        f"<p><b>Event</b> {_e(event['event_id'])} &middot; "
        f"{_e(event['event_type'])} &rsaquo; {_e(event['sub_event_type'])}</p>",
        f"<p><b>When</b> {_e(when)} "
        f"({_e(TIME_PRECISION[int(event['time_precision'])])})</p>",
        f"<p><b>Who</b> {_e(event['attacker']) or 'not stated'} &rarr; "
        f"{_e(event['target'])} ({_e(event['target_kind'])})</p>",
        f"<p>{_e(event['description'])}</p>",
        f"<p><b>Where</b> {_e(event['location'])}"
        f"{', ' + _e(event['admin1']) if event['admin1'] else ''}"
        f"{', ' + _e(event['country']) if event['country'] else ' (no country)'}</p>",
        f"<p><b>How certain</b> {_e(klass)}: {_e(PRECISION_CLASSES[klass][0])}; "
        f"uncertainty radius {radius_km:g} km around "
        f"{float(event['lat']):.4f}N {float(event['lon']):.4f}E "
        f"(ACLED geo_precision {_e(event['geo_precision'])}, UCDP where_prec "
        f"{_e(event['where_prec'])}). "
        f"Confidence: <b>{_e(event['confidence'])}</b>.</p>",
    ]
    if event.get("candidates"):
        parts.append(f"<p><b>Published positions</b> {_e(event['candidates'])}</p>")
    if zone is not None:
        parts.append(
            f"<p><b>Derivation</b> {_e(zone['derivation'])} "
            f"Area {float(zone['area_km2']):,.0f} km².</p>"
        )
    parts.append(distances)
    parts.append(f"<p><b>What is and isn't known</b> {_e(event['notes'])}</p>")
    parts.append("<p><b>Casualty claims</b></p>" + claims_table(list(event["claims"])))
    links = "".join(source_item(s) for s in event["sources"])
    parts.append(f"<p><b>Sources</b></p><ul>{links}</ul></div>")
    return "".join(parts)


def event_labels(events: pd.DataFrame) -> dict[str, str]:
    """``{event_id: "event_id: title"}`` for a picker, in catalogue order.

    The empty id (no card) reads "(none)".
    """
    labels = {"": "(none)"}
    for i, t in zip(events["event_id"], events["title"], strict=True):
        labels[str(i)] = f"{i}: {t}"
    return labels


def event_card(
    event_id: str,
    events: pd.DataFrame,
    zones: pd.DataFrame | None = None,
    *,
    layers: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> str:
    """The card of *event_id* (a row of *events*), with its zone if *zones* has it.

    With *layers* (holding ``countries`` and ``euphrates``), the card also
    gives the geodesic distances to the Iraq-Syria border and the river.
    """
    row = {str(k): v for k, v in events[events["event_id"] == event_id].iloc[0].items()}
    zone = None
    if zones is not None:
        match = zones[zones["event_id"] == event_id]
        zone = {str(k): v for k, v in match.iloc[0].items()} if len(match) else None
    distances = ""
    if layers is not None:
        lines = measure.reference_lines(layers)
        distances = measure.distances_html(
            float(row["lon"]), float(row["lat"]), row.get("geometry"), lines
        )
    return card_html(row, zone, distances=distances)


def picker(events: pd.DataFrame, *, key: str) -> dict[str, Any]:
    """The card's event picker (``st.selectbox`` keywords), keyed by *key*."""
    labels = event_labels(events)
    return {
        "label": CARD_PICKER,
        "options": list(labels),
        "key": key,
        "format_func": labels.get,
    }
