"""Sources as evidence: canonical URL, archived copy, retrieval and capture hash.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copies of the rules in layers/catalogue/check/evidence.py as of this
# revision: URLs are http(s), times are ISO 8601, a capture hash is SHA-256 hex.
_URL = r"^(https?://[^[:space:]]+)?$"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_CLOCK = r"T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:?[0-9]{2})?"
_TIME = rf"^({_DATE}({_CLOCK})?)?$"
_COLUMNS = {
    "canonical_url": _URL,
    "archive_url": _URL,
    "archive_captured": _TIME,
    "retrieved": rf"^({_DATE})?$",
    "publisher": None,
    "language": r"^([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$",
    "capture_sha256": r"^([0-9a-fA-F]{64})?$",
    "capture_file": None,
}


def upgrade() -> None:
    """Add the evidence columns (empty for the rows already there).

    A source's own ``url`` is held to http(s) as a native catalogue's is; rows
    written before this revision are not re-checked (NOT VALID).
    """
    for column, pattern in _COLUMNS.items():
        check = "" if pattern is None else f" CHECK ({column} ~* '{pattern}')"
        op.execute(
            f"ALTER TABLE sources ADD COLUMN {column} text NOT NULL DEFAULT ''{check}"
        )
    op.execute(
        f"ALTER TABLE sources ADD CONSTRAINT sources_url_web CHECK (url ~* '{_URL}')"
        " NOT VALID"
    )


def downgrade() -> None:
    """Drop the evidence columns."""
    op.execute("ALTER TABLE sources DROP CONSTRAINT sources_url_web")
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE sources DROP COLUMN {column}")
