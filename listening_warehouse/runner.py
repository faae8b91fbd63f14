"""The warehouse runner: `dbt build` or the GX checkpoint for one day, on one target.

    python -m listening_warehouse.runner --target prod build --date 2026-11-20
    python -m listening_warehouse.runner --target local checkpoint --date 2026-11-20

It is the entrypoint of the dbt runner's image (a Cloud Run job, `--target prod`; the DAG passes
`build|checkpoint --date D` as the container's args) and the local target's warehouse command
(`--target local`, the run folder in LISTENING_RUN_DIR). Either way the command lines are those
of the README's warehouse section. Exit codes: dbt's and the checkpoint's own (0 passed, 1 failed,
2 bad arguments or missing inputs).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from . import layout

#: What the prod target reads from its environment (the Cloud Run job's, set by Terraform from
#: names.json's dbt_runner_env; a test checks the two agree). BQ_LOCATION is optional.
PROD_ENV = ("GOOGLE_CLOUD_PROJECT", "BQ_GOLD_DATASET", "BQ_WAREHOUSE_DATASET")
PROD_ENV_OPTIONAL = ("BQ_LOCATION",)


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"--date: '{text}' is not a date (YYYY-MM-DD)") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m listening_warehouse.runner",
        description="dbt build or the GX checkpoint of the warehouse, for one day.",
        epilog="exit codes: 0 passed, 1 failed, 2 bad arguments or missing inputs",
    )
    p.add_argument("--target", choices=["local", "prod"], required=True)
    sub = p.add_subparsers(dest="command", required=True)
    for name, what in (("build", "dbt build for the day"), ("checkpoint", "the GX checkpoint")):
        c = sub.add_parser(name, help=what)
        c.add_argument("--date", type=_day, required=True, help="the day, YYYY-MM-DD")
    return p


def dbt_build(target: str, day: str, environ=os.environ) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    env = dict(environ)
    if target == "local":
        work = layout.LocalRun.from_env().root.resolve()
        env.setdefault("DBT_TARGET_PATH", str(work / "dbt-target"))
        env.setdefault("DBT_LOG_PATH", str(work / "logs" / "dbt"))
    else:
        # The image's files are read-only to its user: dbt's output goes to a temporary folder.
        scratch = Path(tempfile.mkdtemp(prefix="dbt-"))
        env.setdefault("DBT_TARGET_PATH", str(scratch / "target"))
        env.setdefault("DBT_LOG_PATH", str(scratch / "logs"))
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    command = [
        str(dbt),
        "build",
        "--project-dir",
        str(layout.DBT_PROJECT),
        "--profiles-dir",
        str(layout.DBT_PROJECT),
        "--target",
        target,
        "--vars",
        json.dumps({"run_date": day}),
    ]
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, env=env, cwd=layout.REPO, check=False).returncode


def checkpoint(target: str, day: str) -> int:
    from .checkpoint import main

    return main(["--target", target, "--date", day])


def main(argv: list[str] | None = None, environ=os.environ) -> int:
    args = parser().parse_args(argv)
    if args.target == "prod":
        missing = [name for name in PROD_ENV if not environ.get(name)]
        if missing:
            print(
                "error: the prod target reads its project and datasets from the environment"
                " (the Cloud Run job's, set by Terraform): set " + ", ".join(missing),
                file=sys.stderr,
            )
            return 2
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    if args.command == "build":
        return dbt_build(args.target, args.date, environ)
    return checkpoint(args.target, args.date)


if __name__ == "__main__":
    sys.exit(main())
