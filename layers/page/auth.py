"""Who may edit: a signed-in user (Streamlit's OpenID Connect) on the editors list.

Viewing needs no sign-in. Editing needs ``st.user`` to be signed in with an
e-mail address the provider has verified (when it says) that is on the list
``[strikemap] editors`` in ``secrets.toml`` (or ``$STRIKEMAP_EDITORS``,
comma-separated). Only then does the page open its writer engine.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from typing import Any

EDITORS_ENV = "STRIKEMAP_EDITORS"


def editors(
    secrets: Mapping[str, Any], *, environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """The e-mail addresses allowed to edit, lower-cased."""
    environ = os.environ if environ is None else environ
    listed: list[str] = []
    with contextlib.suppress(KeyError, TypeError):
        listed = [str(e) for e in secrets["strikemap"]["editors"]]
    listed += environ.get(EDITORS_ENV, "").split(",")
    return frozenset(e.strip().lower() for e in listed if e.strip())


def sign_in_configured(secrets: Mapping[str, Any]) -> bool:
    """Whether ``secrets.toml`` has an ``[auth]`` section for ``st.login``."""
    try:
        return bool(secrets["auth"])
    except (KeyError, TypeError):
        return False


def editor_of(user: Mapping[str, Any], allowed: frozenset[str]) -> str | None:
    """The editor's address if *user* (``st.user``) may edit, else None.

    The user must be signed in (``is_logged_in`` true), have an e-mail
    address the provider did not mark unverified, and be on *allowed*.
    """
    if user.get("is_logged_in") is not True:
        return None
    email = str(user.get("email") or "").strip().lower()
    if not email or user.get("email_verified") is False:
        return None
    return email if email in allowed else None
