"""The catalogue tables, their checks, versions and the audit trigger.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the rules in layers/catalogue/model.py as of this revision
# (a migration must not change when the model does).
_MAX_RADIUS = {"P1": 100, "P2": 10_000, "P3": 50_000, "P4": 400_000, "P5": 600_000}
_MAX_CASUALTIES = 10_000_000
_GRADES = "'confirmed', 'fair', 'weak', 'contested', 'discounted'"


def _radius_check() -> str:
    cases = " ".join(
        f"WHEN '{code}' THEN {metres}" for code, metres in _MAX_RADIUS.items()
    )
    return f"uncertainty_m <= CASE precision_class {cases} ELSE 2000000 END"


def _casualties(what: str) -> str:
    low, high = f"{what}_low", f"{what}_high"
    return f"""
    {low} integer CHECK ({low} BETWEEN 0 AND {_MAX_CASUALTIES}),
    {high} integer CHECK ({high} BETWEEN 0 AND {_MAX_CASUALTIES}),
    CHECK ({high} >= {low}),"""


_TABLES = f"""
CREATE TABLE sources (
    seq bigserial UNIQUE,
    source_id text PRIMARY KEY
        CHECK (source_id <> '' AND position(';' IN source_id) = 0),
    title text NOT NULL CHECK (btrim(title) <> ''),
    outlet text NOT NULL DEFAULT '',
    published text NOT NULL DEFAULT ''
        CHECK (published ~ '^([0-9]{{4}}(-[0-9]{{2}}(-[0-9]{{2}})?)?)?$'),
    url text NOT NULL DEFAULT '',
    row_version integer NOT NULL DEFAULT 1,
    retired_at timestamptz
);
CREATE TABLE events (
    seq bigserial UNIQUE,
    event_id text PRIMARY KEY CHECK (btrim(event_id) <> ''),
    group_id text NOT NULL DEFAULT '',
    title text NOT NULL CHECK (btrim(title) <> ''),
    date_start date NOT NULL CHECK (date_start >= DATE '1900-01-01'),
    date_end date NOT NULL CHECK (date_end >= date_start),
    time_precision smallint NOT NULL CHECK (time_precision IN (1, 2, 3)),
    event_type text NOT NULL DEFAULT '',
    sub_event_type text NOT NULL DEFAULT '',
    attacker text NOT NULL DEFAULT '',
    target text NOT NULL DEFAULT '',
    target_kind text NOT NULL DEFAULT '',
    country text NOT NULL DEFAULT '' CHECK (country ~ '^([A-Z]{{3}})?$'),
    admin1 text NOT NULL DEFAULT '',
    location text NOT NULL DEFAULT '',
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    candidates text NOT NULL DEFAULT '',
    precision_class text NOT NULL
        CHECK (precision_class IN ('P1', 'P2', 'P3', 'P4', 'P5', 'P6')),
    geo_precision smallint CHECK (geo_precision IN (1, 2, 3)),
    where_prec smallint CHECK (where_prec BETWEEN 1 AND 7),
    uncertainty_m double precision NOT NULL CHECK (uncertainty_m >= 1),
    constraints text NOT NULL DEFAULT '',
    confidence text NOT NULL CHECK (confidence IN ({_GRADES})),
    description text NOT NULL DEFAULT '',
    notes text NOT NULL DEFAULT '',
    source_ids text NOT NULL,
    geom geometry(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    row_version integer NOT NULL DEFAULT 1,
    retired_at timestamptz,
    CONSTRAINT radius_within_class CHECK ({_radius_check()})
);
CREATE INDEX events_geom_gist ON events USING gist (geom);
CREATE INDEX events_dates ON events (date_start, date_end);
CREATE INDEX events_group ON events (group_id);
CREATE TABLE claims (
    claim_id bigserial PRIMARY KEY,
    applies_to text NOT NULL CHECK (btrim(applies_to) <> ''),
    claimant text NOT NULL CHECK (btrim(claimant) <> ''),
    {_casualties("killed")}
    {_casualties("wounded")}
    detail text NOT NULL DEFAULT '',
    source_ids text NOT NULL,
    row_version integer NOT NULL DEFAULT 1,
    retired_at timestamptz
);
CREATE INDEX claims_applies_to ON claims (applies_to);
CREATE TABLE audit (
    audit_id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    row_key text NOT NULL,
    op text NOT NULL,
    editor text NOT NULL,
    db_user text NOT NULL DEFAULT session_user,
    reason text,
    edit_sources text,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    old_row jsonb,
    new_row jsonb
);
CREATE INDEX audit_row ON audit (table_name, row_key, audit_id);
"""

_FUNCTIONS = """
CREATE FUNCTION strikemap_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.row_version := OLD.row_version + 1;
    RETURN NEW;
END $$;

CREATE FUNCTION strikemap_check_source_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM unnest(string_to_array(NEW.source_ids, ';')) AS x
                   WHERE btrim(x) <> '') THEN
        RAISE EXCEPTION 'source_ids names no source; expected at least one id'
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT string_agg(id, ', ') INTO missing
      FROM (SELECT btrim(x) AS id
              FROM unnest(string_to_array(NEW.source_ids, ';')) AS x) AS ids
     WHERE id <> '' AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = ids.id);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'source_ids names unknown source(s): %', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION strikemap_check_applies_to() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM events e
                    WHERE e.event_id = NEW.applies_to OR e.group_id = NEW.applies_to)
    THEN
        RAISE EXCEPTION 'applies_to ''%'' is neither an event_id nor a group_id',
            NEW.applies_to USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION strikemap_audit() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
BEGIN
    INSERT INTO audit (table_name, row_key, op, editor, reason, edit_sources,
                       old_row, new_row)
    VALUES (
        TG_TABLE_NAME,
        COALESCE(new_row, old_row) ->> TG_ARGV[0],
        lower(TG_OP),
        COALESCE(NULLIF(current_setting('strikemap.editor', true), ''),
                 session_user::text),
        NULLIF(current_setting('strikemap.reason', true), ''),
        NULLIF(current_setting('strikemap.sources', true), ''),
        old_row - 'geom',
        new_row - 'geom'
    );
    RETURN NULL;
END $$;
"""


def _triggers() -> str:
    keys = {"events": "event_id", "claims": "claim_id", "sources": "source_id"}
    out = []
    for table, key in keys.items():
        out.append(
            f"CREATE TRIGGER {table}_version BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION strikemap_bump_version();"
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION strikemap_audit('{key}');"
        )
    for table in ("events", "claims"):
        out.append(
            f"CREATE TRIGGER {table}_sources BEFORE INSERT OR UPDATE OF source_ids "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION strikemap_check_source_ids();"
        )
    out.append(
        "CREATE TRIGGER claims_target BEFORE INSERT OR UPDATE OF applies_to "
        "ON claims FOR EACH ROW EXECUTE FUNCTION strikemap_check_applies_to();"
    )
    return "\n".join(out)


def upgrade() -> None:
    """Create the tables, checks, indexes and triggers."""
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(_TABLES)
    op.execute(_FUNCTIONS)
    op.execute(_triggers())


def downgrade() -> None:
    """Drop everything the revision created."""
    op.execute("DROP TABLE IF EXISTS audit, claims, events, sources CASCADE")
    for name in (
        "strikemap_audit",
        "strikemap_check_applies_to",
        "strikemap_check_source_ids",
        "strikemap_bump_version",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
