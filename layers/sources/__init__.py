"""Readers: the only code that opens a data file; all comes out checked."""
