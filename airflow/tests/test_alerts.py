"""The failure callback, run by Airflow for real: a task of the poll DAG fails (its extractor
command exits 1); the callback writes the structured log line the log-based alert matches and
posts the Slack-format message to a webhook server on loopback."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from conftest import CONTRACT, EXPECTED, LOCAL_VARIABLES, load_dags, set_variables, sync

RUN = "2026-11-20T05:00:00+00:00"


class _Webhook(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Webhook.received.append(
            {"path": self.path, "type": self.headers["Content-Type"], "body": json.loads(body)}
        )
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = HTTPServer(("127.0.0.1", 0), _Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Webhook.received = []
    yield f"http://127.0.0.1:{server.server_port}/services/T000/B000/secret-token"
    server.shutdown()
    server.server_close()


def _failing_poll(extra_variables):
    dags = load_dags("local")
    set_variables(
        {**LOCAL_VARIABLES, "spotify_local_extractor_command": "exit 1 #", **extra_variables}
    )
    sync(dags)
    dag = dags["spotify_listening_poll"]
    dag.get_task("recently_played").retries = 0
    return dag


def test_a_failed_task_posts_to_the_webhook_and_logs_the_alert_line(airflow_db, webhook, capfd):
    from airflow.utils.state import DagRunState

    dag = _failing_poll({"spotify_failure_webhook_url": webhook})
    run = dag.test(logical_date=datetime.fromisoformat(RUN))
    assert run.state == DagRunState.FAILED

    assert len(_Webhook.received) == 1, "one failed task, one message"
    (message,) = _Webhook.received
    assert message["path"] == "/services/T000/B000/secret-token"
    assert message["type"] == "application/json"
    expected = json.loads((EXPECTED / "slack_failure.json").read_text())
    expected_text = json.dumps(expected).replace("<run_id>", run.run_id)
    assert message["body"] == json.loads(expected_text)

    out = capfd.readouterr()
    logged = out.out + out.err
    marker = CONTRACT["failure_log"]["marker"]
    lines = [line for line in logged.splitlines() if marker in line]
    assert len(lines) == 1, lines
    record = json.loads(re.search(r"(\{.*\})", lines[0]).group(1))
    assert record["event"] == marker
    assert (record["dag_id"], record["task_id"], record["try_number"]) == (
        "spotify_listening_poll", "recently_played", 1,
    )
    # The metric's label extractor (infrastructure/monitoring.tf) finds the DAG in the line.
    assert re.search(r"dag_id[^A-Za-z0-9_.-]+([A-Za-z0-9_.-]+)", lines[0]).group(1) == (
        "spotify_listening_poll"
    )
    assert "secret-token" not in logged, "the webhook URL is a credential: never logged"


def test_without_a_webhook_the_log_line_is_still_written(airflow_db, capfd):
    dag = _failing_poll({})
    dag.test(logical_date=datetime.fromisoformat(RUN))
    out = capfd.readouterr()
    assert CONTRACT["failure_log"]["marker"] in out.out + out.err
