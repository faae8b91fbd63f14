"""The Cloud Run images' definitions, checked as text (images/build.sh builds and inspects the
extractor's for real; the dbt runner's needs a Python base image this machine cannot pull), and
the dbt runner's entrypoint as the image runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTRACT = json.loads((REPO / "airflow/dags/spotify_listening/names.json").read_text())


def instructions(name: str) -> list[tuple[str, str]]:
    text = (REPO / "images" / name).read_text()
    text = re.sub(r"\\\n", " ", text)  # continuation lines
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


@pytest.mark.parametrize("name", ["extractor.Dockerfile", "dbt-runner.Dockerfile"])
def test_images_run_as_a_non_root_user_and_bake_in_no_secret(name):
    steps = instructions(name)
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root"), "the last USER must not be root"
    assert [w for w, _ in steps].index("USER") > max(
        i for i, (w, _) in enumerate(steps) if w in ("RUN", "COPY")
    ), "USER comes after every RUN and COPY: the files are root's, the process is not"
    for word, rest in steps:
        if word in ("ENV", "ARG"):
            for key in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", rest):
                assert not re.search(r"SECRET|TOKEN|PASSWORD|KEY|CREDENTIAL", key, re.I), (
                    f"{name}: {word} {key} bakes a secret in"
                )
        if word in ("COPY", "ADD"):
            sources = rest.split()[:-1]
            for src in sources:
                assert not re.search(r"secret|users\.json|\.env|credential", src, re.I), src
                assert (REPO / src).exists() or src.endswith(".jar"), f"{name}: COPY {src} missing"
    entry = [rest for word, rest in steps if word == "ENTRYPOINT"]
    assert len(entry) == 1 and entry[0].startswith("["), "one ENTRYPOINT, exec form"


def test_the_extractor_image_starts_the_jar_with_java_17():
    steps = dict(instructions("extractor.Dockerfile"))
    assert json.loads(steps["ENTRYPOINT"]) == ["/usr/bin/java", "-jar", "/app/extractor.jar"]
    assert "java17" in steps["ARG"], "a JRE 17 base (the jar is built for 17)"


def test_the_dbt_runner_image_installs_the_hashed_lock_and_runs_the_prod_target():
    steps = instructions("dbt-runner.Dockerfile")
    run = " ".join(rest for word, rest in steps if word == "RUN")
    assert "--require-hashes" in run and "requirements/warehouse.txt" in run
    entry = json.loads([rest for word, rest in steps if word == "ENTRYPOINT"][0])
    assert entry[-4:] == ["-m", "listening_warehouse.runner", "--target", "prod"]
    base = [rest for word, rest in steps if word == "ARG"][0]
    assert re.search(r"python:3\.11\.\d+-", base), "the Python of the lock (3.11), pinned"


def test_the_build_context_holds_only_what_the_images_copy():
    ignore = (REPO / ".dockerignore").read_text().splitlines()
    assert ignore[ignore.index("**")] == "**", "everything excluded first"
    allowed = {line[1:] for line in ignore if line.startswith("!")}
    copied = set()
    for name in ("extractor.Dockerfile", "dbt-runner.Dockerfile"):
        for word, rest in instructions(name):
            if word == "COPY":
                copied.update(rest.split()[:-1])
    assert copied == allowed


def test_the_runner_names_the_missing_environment_on_the_prod_target():
    result = subprocess.run(
        [sys.executable, "-m", "listening_warehouse.runner", "--target", "prod",
         "build", "--date", "2026-11-20"],
        cwd=REPO, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, check=False,
    )
    assert result.returncode == 2
    for name in ("GOOGLE_CLOUD_PROJECT", "BQ_GOLD_DATASET", "BQ_WAREHOUSE_DATASET"):
        assert name in result.stderr
    assert set(("GOOGLE_CLOUD_PROJECT", "BQ_GOLD_DATASET", "BQ_WAREHOUSE_DATASET", "BQ_LOCATION")) == set(
        CONTRACT["dbt_runner_env"]
    )


def test_the_runner_refuses_a_bad_date():
    result = subprocess.run(
        [sys.executable, "-m", "listening_warehouse.runner", "--target", "local",
         "checkpoint", "--date", "20-11-2026"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert "--date: '20-11-2026' is not a date" in result.stderr
