"""A real PostgreSQL/PostGIS server for tests: a fresh database per test.

The server is the one ``.ci/run`` starts (``pg_createcluster 15 ci``); tests
reach it through ``STRIKEMAP_TEST_PGHOST``, ``..._PGPORT``, ``..._PGUSER`` and
``..._PGPASSWORD`` (defaults: the CI cluster, 127.0.0.1:54329, ci/ci). Its
``template1`` holds PostGIS, so every new database has it. Without a server the
tests skip with the reason; with ``STRIKEMAP_REQUIRE_DATABASE=1`` they fail.
pytest-postgresql's process fixture runs ``initdb``, which refuses to run as
root, so its ``noproc`` fixture is used on the running server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from pytest_postgresql import factories

HOST = os.environ.get("STRIKEMAP_TEST_PGHOST", "127.0.0.1")
PORT = int(os.environ.get("STRIKEMAP_TEST_PGPORT", "54329"))
USER = os.environ.get("STRIKEMAP_TEST_PGUSER", "ci")
PASSWORD = os.environ.get("STRIKEMAP_TEST_PGPASSWORD", "ci")
REQUIRED = os.environ.get("STRIKEMAP_REQUIRE_DATABASE") == "1"

# A database name of this run's own (its template is NAME_tmpl), so two runs on
# one server, or a template left by a run that was killed, never collide.
pg_server = factories.postgresql_noproc(
    host=HOST, port=PORT, user=USER, password=PASSWORD, dbname=f"tests_{os.getpid()}"
)
pg_database = factories.postgresql("pg_server")


def server_problem() -> str | None:
    """Why the test server cannot be used, or None."""
    try:
        with psycopg.connect(
            host=HOST,
            port=PORT,
            user=USER,
            password=PASSWORD,
            dbname="template1",
            connect_timeout=3,
        ) as conn:
            conn.execute("SELECT postgis_version()")
    except psycopg.Error as exc:
        return f"no PostgreSQL/PostGIS test server at {HOST}:{PORT} ({exc})".strip()
    return None


@pytest.fixture(scope="session")
def database_server() -> None:
    """Skip (or fail, when required) without a reachable server."""
    problem = server_problem()
    if problem is None:
        return
    if REQUIRED:
        pytest.fail(f"STRIKEMAP_REQUIRE_DATABASE=1 but {problem}")
    pytest.skip(problem)


@pytest.fixture
def database_url(
    database_server: None, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The URL of a fresh, empty database (dropped after the test)."""
    conn = request.getfixturevalue("pg_database")
    yield f"postgresql://{USER}:{PASSWORD}@{HOST}:{PORT}/{conn.info.dbname}"
