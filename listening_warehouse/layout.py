"""Where things are: the names the Python tools share, defined once.

dbt_project/profiles.yml says the same about the local target (the DuckDB file under the run's
folder, the `listening` schema); tests/test_layout.py fails if the two ever disagree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO / "dbt_project"
GX_PROJECT = REPO / "great_expectations" / "gx"

# The local run's output folder (./run.sh writes data/local) and what the warehouse puts in it.
RUN_DIR_ENV = "LISTENING_RUN_DIR"
DEFAULT_RUN_DIR = Path("data/local")
DUCKDB_FILE = "warehouse.duckdb"
GOLD_DIR = "gold"
TRUTH_DIR = "truth"
CHECKPOINT_DIR = "checkpoint"
REPORT_FILE = "report.html"
RUN_FACTS_FILE = "warehouse-run-facts.json"

# dbt puts staging and marts in `<target schema>_<folder schema>`; locally the target schema is
# `listening`, in BigQuery it is the dataset named by BQ_WAREHOUSE_DATASET.
LOCAL_SCHEMA = "listening"


def _folder_schema(folder: str) -> str:
    project = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text())
    return project["models"][project["name"]][folder]["+schema"]


def marts_schema(target_schema: str) -> str:
    return f"{target_schema}_{_folder_schema('marts')}"


def top_n() -> int:
    """Rows per day in the top-N marts: the dbt project's var."""
    project = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text())
    return int(project["vars"]["top_n"])


@dataclass(frozen=True)
class LocalRun:
    """A local run's folder and the warehouse files in it."""

    root: Path

    @classmethod
    def from_env(cls, run_dir: str | os.PathLike | None = None) -> "LocalRun":
        return cls(Path(run_dir or os.environ.get(RUN_DIR_ENV) or DEFAULT_RUN_DIR))

    @property
    def duckdb(self) -> Path:
        return self.root / DUCKDB_FILE

    @property
    def gold(self) -> Path:
        return self.root / GOLD_DIR

    @property
    def truth(self) -> Path:
        return self.root / TRUTH_DIR

    @property
    def checkpoint(self) -> Path:
        return self.root / CHECKPOINT_DIR

    @property
    def report(self) -> Path:
        return self.root / REPORT_FILE

    @property
    def run_facts(self) -> Path:
        return self.root / RUN_FACTS_FILE
