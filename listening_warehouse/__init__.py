"""The warehouse's Python side: the GX checkpoint runner and the HTML report (dbt is run as is)."""
