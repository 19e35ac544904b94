"""Importers: foreign formats (ACLED, UCDP, vector files) to native tables."""
