"""No credential in the warehouse: every text column of every table and view the run's DuckDB
file holds (staging, marts, data-health tables), searched inside DuckDB for the shapes of the
simulator's tokens (access `BQ` + 43, refresh `AQ`/`AP` + 32 base64url characters). The Java
side scans every other file of the run, and this file's bytes, for the literal secret and tokens
(local-pipeline's SecretScan); DuckDB compresses strings, so a byte search alone could miss one."""

from __future__ import annotations

import duckdb

from listening_warehouse import layout

TOKEN = r"(^|[^A-Za-z0-9_-])(BQ[A-Za-z0-9_-]{43}|A[QP][A-Za-z0-9_-]{32})([^A-Za-z0-9_-]|$)"


def test_no_table_of_the_warehouse_holds_a_token(run_dir):
    con = duckdb.connect(str(run_dir / layout.DUCKDB_FILE), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema not in ('information_schema', 'pg_catalog')"
        ).fetchall()
        assert len(columns) > 20, "the warehouse has its tables"
        found = []
        for schema, table, column in columns:
            (n,) = con.execute(
                f'select count(*) from "{schema}"."{table}" where regexp_matches("{column}", ?)',
                [TOKEN],
            ).fetchone()
            if n:
                found.append(f"{schema}.{table}.{column}: {n} rows")
        assert not found, "token-shaped values in the warehouse: " + "; ".join(found)
    finally:
        con.close()
