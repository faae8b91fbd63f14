"""The Python environment is made once and reused; the layout the Python tools assume is dbt's."""

from __future__ import annotations

import subprocess
import time

import yaml

from listening_warehouse import layout
from tests.conftest import REPO


def test_the_environment_is_reused_when_the_lock_has_not_changed():
    start = time.monotonic()
    result = subprocess.run(
        [str(REPO / "tools" / "python-env.sh"), "warehouse"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == "", "nothing rebuilt, nothing said"
    assert time.monotonic() - start < 5


def test_every_requirement_is_pinned_and_hashed():
    lock = (REPO / "requirements" / "warehouse.txt").read_text()
    packages = [line for line in lock.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
    assert len(packages) > 100
    assert all("==" in p for p in packages), [p for p in packages if "==" not in p]
    assert lock.count("--hash=sha256:") >= len(packages)
    pins = {p.split("==")[0]: p.split("==")[1].split()[0] for p in packages}
    assert pins["dbt-core"].startswith("1.12.")
    assert pins["great-expectations"].startswith("1.")


def test_the_python_tools_and_the_dbt_profile_agree_on_where_the_warehouse_is():
    profile = yaml.safe_load((layout.DBT_PROJECT / "profiles.yml").read_text())
    local = profile["listening"]["outputs"]["local"]
    assert local["path"].endswith("/" + layout.DUCKDB_FILE)
    assert layout.RUN_DIR_ENV in local["path"] and str(layout.DEFAULT_RUN_DIR) in local["path"]
    assert local["schema"] == layout.LOCAL_SCHEMA
    prod = profile["listening"]["outputs"]["prod"]
    assert prod["method"] == "oauth" and "keyfile" not in prod, "no key files"
