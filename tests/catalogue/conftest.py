"""Fixtures of the catalogue tests: a fresh PostgreSQL database per test."""

from tests.database_support import (  # noqa: F401 (fixtures)
    database_server,
    database_url,
    pg_database,
    pg_server,
)
