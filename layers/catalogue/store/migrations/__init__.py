"""Alembic migrations of the catalogue database (run by ``db init``)."""
