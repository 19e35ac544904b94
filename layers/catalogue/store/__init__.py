"""Storage: CSV and GeoParquet tables."""
