"""Where the checkpoint and the report read gold and the marts: the local run or BigQuery.

Both targets answer the same two questions: "write the day's slice of this table to a Parquet
file" and "run this small query". Locally gold is the run's Parquet (read by DuckDB) and the marts
are in the run's DuckDB file; in production both are BigQuery datasets.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Protocol, Sequence

from . import layout


class BadInput(Exception):
    """An input that is missing or wrong, with what to do about it (exit code 2)."""


class Target(Protocol):
    name: str

    def export(self, layer: str, table: str, date_column: str | None, day: date, out: Path) -> int:
        """Writes the table's rows of `day` (all rows without a date column) to `out`; returns
        how many. List columns are left out: no expectation reads them."""

    def rows(self, sql: str) -> list[tuple]:
        """Runs a query written with {gold.<table>} and {marts.<table>} placeholders."""


class LocalTarget:
    """The local run: gold Parquet under <run>/gold, the marts in <run>/warehouse.duckdb."""

    name = "local"

    def __init__(self, gold: Path, duckdb_file: Path):
        import duckdb

        problems = []
        if not (gold / "fct_listens").is_dir():
            problems.append(f"no gold fct_listens under {gold}: run ./run.sh (or pass --gold)")
        if not duckdb_file.is_file():
            problems.append(
                f"no DuckDB warehouse at {duckdb_file}: run dbt build --target local first "
                "(./run.sh does), or pass --duckdb"
            )
        if problems:
            raise BadInput("\n".join(problems))
        self.gold = gold
        self.duckdb_file = duckdb_file
        # Gold's timestamps are plain (UTC) TIMESTAMPs: no time zone conversion happens here.
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"attach '{_quote(duckdb_file)}' as warehouse (read_only)")
        self.marts = f"warehouse.{layout.marts_schema(layout.LOCAL_SCHEMA)}"

    def _gold(self, table: str, date_column: str | None = None) -> str:
        files = f"{self.gold}/{table}/**/*.parquet"
        found = self.con.execute(f"select count(*) from glob('{_quote(files)}')").fetchone()[0]
        if not found:
            raise BadInput(f"no Parquet files for gold {table} under {self.gold / table}")
        hive_types = f", hive_types = {{'{date_column}': 'DATE'}}" if date_column else ""
        return (
            f"read_parquet('{_quote(files)}', hive_partitioning = true,"
            f" hive_types_autocast = false{hive_types})"
        )

    def _relation(self, layer: str, table: str, date_column: str | None = None) -> str:
        if layer == "gold":
            return self._gold(table, date_column)
        if layer == "marts":
            return f"{self.marts}.{table}"
        raise ValueError(f"unknown layer {layer!r}")

    def export(self, layer, table, date_column, day, out):
        relation = self._relation(layer, table, date_column)
        lists = [
            name
            for name, kind, *_ in self.con.execute(f"describe select * from {relation}").fetchall()
            if kind.endswith("[]")
        ]
        exclude = f" exclude ({', '.join(lists)})" if lists else ""
        where = f" where {date_column} = date '{day.isoformat()}'" if date_column else ""
        return self.con.execute(
            f"copy (select *{exclude} from {relation}{where}) to '{_quote(out)}' (format parquet)"
        ).fetchone()[0]

    def rows(self, sql):
        return self.con.execute(_placeholders(sql, self._relation)).fetchall()


class BigQueryTarget:
    """Production: gold in BQ_GOLD_DATASET, the marts in <BQ_WAREHOUSE_DATASET>_marts, both in
    GOOGLE_CLOUD_PROJECT; Application Default Credentials (the runtime's service account)."""

    name = "prod"
    ENV = ("GOOGLE_CLOUD_PROJECT", "BQ_GOLD_DATASET", "BQ_WAREHOUSE_DATASET")

    def __init__(self, environ=os.environ):
        missing = [v for v in self.ENV if not environ.get(v)]
        if missing:
            raise BadInput(
                "the prod target reads its project and datasets from the environment: set "
                + ", ".join(missing)
            )
        from google.cloud import bigquery

        self._bigquery = bigquery
        self.project = environ["GOOGLE_CLOUD_PROJECT"]
        self.datasets = {
            "gold": environ["BQ_GOLD_DATASET"],
            "marts": layout.marts_schema(environ["BQ_WAREHOUSE_DATASET"]),
        }
        self.client = bigquery.Client(project=self.project, location=environ.get("BQ_LOCATION"))

    def _relation(self, layer: str, table: str, date_column: str | None = None) -> str:
        return f"`{self.project}.{self.datasets[layer]}.{table}`"

    def export(self, layer, table, date_column, day, out):
        import pyarrow.parquet as pq

        where = f" where {date_column} = @day" if date_column else ""
        config = self._bigquery.QueryJobConfig(
            query_parameters=[self._bigquery.ScalarQueryParameter("day", "DATE", day)]
        )
        result = self.client.query(
            f"select * from {self._relation(layer, table)}{where}", job_config=config
        ).to_arrow()
        table_ = plain_columns(result)
        pq.write_table(table_, out)
        return table_.num_rows

    def rows(self, sql):
        return [tuple(r.values()) for r in self.client.query(_placeholders(sql, self._relation))]


def plain_columns(table):
    """Drops list columns and turns UTC timestamps into plain ones (as the local Parquet has them),
    so the same suites compare them with the same parameters."""
    import pyarrow as pa

    fields, columns = [], []
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            continue
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            column = column.cast(pa.timestamp(field.type.unit, tz="UTC")).cast(
                pa.timestamp(field.type.unit)
            )
            field = pa.field(field.name, column.type)
        fields.append(field)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _placeholders(sql: str, relation) -> str:
    import re

    return re.sub(
        r"\{(gold|marts)\.(\w+)\}", lambda m: relation(m.group(1), m.group(2)), sql
    )


def _quote(path) -> str:
    return str(path).replace("'", "''")


def make_target(
    name: str, run: layout.LocalRun, gold: Path | None = None, duckdb_file: Path | None = None
) -> Target:
    if name == "local":
        return LocalTarget(gold or run.gold, duckdb_file or run.duckdb)
    if name == "prod":
        return BigQueryTarget()
    raise BadInput(f"unknown target {name!r} (local or prod)")


__all__: Sequence[str] = ["BadInput", "Target", "LocalTarget", "BigQueryTarget", "make_target"]
