"""The edit panel of the page: which widgets to draw, what to preview, how to save.

:func:`panel` is called only for a signed-in editor; the page draws the
widgets it returns and binds its ``save`` to the Save button. ``save`` runs as
the button's callback, asks once more who is signed in, and only then opens
the writer engine. The outcome (a message, or errors by field) is kept in the
session for the next run; the form's values are never cleared by a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from geo.safe import markdown_text
from layers.catalogue.store.native import text_tables
from layers.map.build import build_map
from layers.page import auth as signin
from layers.page import edit, edit_save, shared
from layers.params import LayerInputs

#: Session keys: the last outcome, and which event (and version) the form holds.
OUTCOME_KEY = "_edit_outcome"
LOADED_KEY = "_edit_loaded"
RELOAD = "Reload the event (drops unsaved input)"


def editor(
    user: Callable[[], Mapping[str, Any]], secrets: Mapping[str, Any]
) -> str | None:
    """The signed-in editor's address now (``user``: ``st.user.to_dict``), or None."""
    return signin.editor_of(user(), signin.editors(secrets))


def can_sign_in(secrets: Mapping[str, Any], user: Mapping[str, Any]) -> bool:
    """Whether to offer the sign-in button (configured, and not signed in yet)."""
    return signin.sign_in_configured(secrets) and user.get("is_logged_in") is not True


def _load_event(state: MutableMapping[str, Any], url: str, event: Any) -> None:
    """Put *event* and its current version into the form (once per event)."""
    version = edit_save.event_version(shared.reader(url), str(event["event_id"]))
    state.update(edit.form_from_event(event))
    state[LOADED_KEY] = (str(event["event_id"]), version)


def reload_form(state: MutableMapping[str, Any]) -> None:
    """Forget the loaded event so the form is loaded afresh (the Reload button)."""
    state.pop(LOADED_KEY, None)
    state.pop(OUTCOME_KEY, None)


def _location(
    state: Mapping[str, Any], inputs: LayerInputs, layers: Mapping[str, Any]
) -> edit.Placed:
    values = edit.form_values(state)
    return edit.preview_zone(
        edit.location_cells(values, inputs.reference), inputs, layers
    )


def _widgets(
    action: str, state: Mapping[str, Any], inputs: LayerInputs, history: list[int]
) -> list[edit.Widget]:
    sources = list(inputs.catalogue.sources["source_id"].astype(str))
    why = edit.why_widgets(sources, with_sources=action != edit.ACTIONS[3])
    if action in edit.ACTIONS[:2]:
        reference = inputs.reference
        location = edit.location_widgets(
            edit.place_labels(reference.places),
            sorted(reference.admin1["name"].astype(str)),
            str(state.get(edit.key("anchor"), edit.TOWN)),
        )
        return [*edit.event_widgets(action, sources), *location, *why]
    if action == edit.ACTIONS[2]:
        return [*edit.claim_widgets(), *why]
    if action == edit.ACTIONS[3]:
        return [*edit.source_widgets(), *why]
    pick = edit.widget("selectbox", "audit_id", "Version (audit row)", options=history)
    return [pick, *why]


def _save(
    state: MutableMapping[str, Any],
    *,
    action: str,
    url: str,
    inputs: LayerInputs,
    layers: Mapping[str, Any],
    event_id: str,
    who: Callable[[], str | None],
) -> None:
    editor = who()
    if editor is None:  # signed out since the form was drawn: nothing is written
        state[OUTCOME_KEY] = edit_save.Outcome(errors={"_form": "sign in to edit"})
        return
    engine, values = shared.writer(url), edit.form_values(state)
    seen = (state.get(LOADED_KEY) or ("", 0))[1]
    if action in edit.ACTIONS[:2]:
        sources = text_tables(inputs.catalogue)["sources"]
        target = event_id if action == edit.ACTIONS[1] else ""
        outcome = edit_save.save_event(
            values,
            _location(state, inputs, layers),
            engine=engine,
            editor=editor,
            sources=sources,
            event_id=target,
            seen=seen,
        )
    elif action == edit.ACTIONS[2]:
        outcome = edit_save.save_claim(
            values, engine=engine, editor=editor, event_id=event_id
        )
    elif action == edit.ACTIONS[3]:
        outcome = edit_save.save_source(values, engine=engine, editor=editor)
    else:
        outcome = edit_save.save_restore(
            values, engine=engine, editor=editor, event_id=event_id, seen=seen
        )
    state[OUTCOME_KEY] = outcome
    if outcome.saved:
        state.pop(LOADED_KEY, None)  # the next run loads the saved version


def _form(
    state: MutableMapping[str, Any],
    action: str,
    options: dict[str, Any],
) -> list[edit.Widget]:
    """The form of *action*: its fields, errors, zone preview and buttons."""
    url, inputs, layers = options["url"], options["inputs"], options["layers"]
    event_id = options["event_id"]
    events = inputs.catalogue.events
    event = events[events["event_id"] == event_id]
    loaded = state.get(LOADED_KEY)
    if action != edit.ACTIONS[0] and len(event) and (loaded or ("",))[0] != event_id:
        _load_event(state, url, event.iloc[0])
    if action == edit.ACTIONS[0]:  # a new event keeps no constraint of another
        state.pop(edit.key("kept_constraints"), None)
    history = []
    if event_id and action == edit.ACTIONS[4]:
        table = edit_save.history_table(shared.reader(url), event_id)
        history = [int(a) for a in table["audit_id"]]
    outcome = state.get(OUTCOME_KEY) or edit_save.Outcome()
    widgets = edit.with_errors(_widgets(action, state, inputs, history), outcome.errors)
    if action in edit.ACTIONS[:2]:
        placed = _location(state, inputs, layers)
        widgets = edit.with_errors(widgets, placed.errors)
        if not placed.zone.empty:
            fmap = build_map({"strike_zones": placed.zone}, selected=edit.PREVIEW_ID)
            widgets.append(("markdown", {"body": edit.zone_summary(placed)}))
            widgets.append(("map", {"fig": fmap, "key": "edit_map", "height": 320}))
    if "_form" in outcome.errors:
        widgets.insert(0, ("error", {"body": outcome.errors["_form"]}))
    if outcome.saved:
        widgets.insert(0, ("success", {"body": outcome.saved}))
    save = partial(_save, state, action=action, **options)
    return [
        *widgets,
        (
            "button",
            {
                "label": "Save",
                "on_click": save,
                "type": "primary",
                "key": edit.key("save"),
            },
        ),
        (
            "button",
            {
                "label": RELOAD,
                "on_click": partial(reload_form, state),
                "key": edit.key("reload"),
            },
        ),
    ]


@dataclass(frozen=True)
class Page:
    """The database, its catalogue and layers, and the event the card shows."""

    url: str
    inputs: LayerInputs
    layers: Mapping[str, Any]
    event_id: str


@dataclass(frozen=True)
class Auth:
    """Who is signed in (``st.user.to_dict``), the secrets, and ``st.login``."""

    user: Callable[[], Mapping[str, Any]]
    secrets: Mapping[str, Any]
    login: Callable[[], None]

    def editor(self) -> str | None:
        """The signed-in editor's address now, or None (asked again on Save)."""
        return editor(self.user, self.secrets)


def page_widgets(
    state: MutableMapping[str, Any],
    page: Page,
    auth: Auth,
    *,
    sign_out: Callable[[], None],
) -> list[edit.Widget]:
    """Everything the card column shows on a database: history, then the editor's form.

    Parameters
    ----------
    state
        The session state (the form's values live there, keyed ``edit_*``).
    page
        The database, the catalogue read from it, its layers, the card's event.
    auth
        Who is signed in. A viewer gets the history only (without editors'
        addresses), and a sign-in button when ``[auth]`` is configured.
    sign_out
        ``st.logout``.

    Returns
    -------
    ``(element, kwargs)`` pairs to draw in order; element ``map`` is a folium
    map for ``st_folium``, any other an ``st`` function.
    """
    url, inputs, layers, event_id = page.url, page.inputs, page.layers, page.event_id
    who = auth.editor
    sign_in = auth.login if can_sign_in(auth.secrets, auth.user()) else None
    editor = who()
    widgets: list[edit.Widget] = []
    if event_id:
        table = edit_save.history_table(shared.reader(url), event_id)
        shown = table if editor else table.drop(columns="editor")
        widgets.append(
            ("markdown", {"body": f"**History of {markdown_text(event_id)}**"})
        )
        widgets.append(("dataframe", {"data": shown, "hide_index": True}))
    if editor is None:
        if sign_in is not None:
            widgets.append(
                (
                    "button",
                    {"label": "Sign in to edit", "on_click": sign_in, "key": "sign_in"},
                )
            )
        return widgets
    widgets.append(("subheader", {"body": f"Edit as {markdown_text(editor)}"}))
    action = str(state.get(edit.key("action"), edit.ACTIONS[0]))
    widgets.append(edit.widget("radio", "action", "Edit", options=list(edit.ACTIONS)))
    options = dict(url=url, inputs=inputs, layers=layers, event_id=event_id, who=who)
    widgets += _form(state, action, options)
    widgets.append(
        ("button", {"label": "Sign out", "on_click": sign_out, "key": "sign_out"})
    )
    return widgets
