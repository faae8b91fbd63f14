"""The failure callback of every task of both DAGs.

It always writes one structured log line with the contract's marker (names.json, failure_log):
the log-based metric in infrastructure/monitoring.tf counts those lines and its alert policy
notifies. When the Variable `spotify_failure_webhook_url` is set (by hand: it is a credential), it
also posts a Slack-format message there. The webhook's URL is never logged.
"""

from __future__ import annotations

import json
import logging
import urllib.request

from spotify_listening import names
from spotify_listening.compat import variable

log = logging.getLogger("spotify_listening.alerts")

#: Seconds to wait for the webhook: a slow chat service must not hold the worker.
WEBHOOK_TIMEOUT = 10


def failure_record(context) -> dict:
    """What the log line and the message say: which task of which run failed, and why."""
    ti = context["ti"]
    exception = context.get("exception")
    interval = [context.get("data_interval_start"), context.get("data_interval_end")]
    return {
        "event": names.FAILURE_LOG_MARKER,
        "dag_id": ti.dag_id,
        "task_id": ti.task_id,
        "run_id": ti.run_id,
        "try_number": ti.try_number,
        "data_interval": [d.isoformat() if d is not None else None for d in interval],
        "error": f"{type(exception).__name__}: {exception}"[:500] if exception else None,
    }


def slack_message(record: dict) -> dict:
    """Slack's incoming-webhook format: `text` for notifications, `blocks` for the message."""
    start, end = record["data_interval"]
    text = (
        f":red_circle: {record['dag_id']}.{record['task_id']} failed"
        f" (run {record['run_id']}, try {record['try_number']})"
    )
    details = f"*Data interval* {start} to {end}"
    if record["error"]:
        details += f"\n*Error* `{record['error']}`"
    details += "\nEvery task reads and writes only its own interval: clear the task to re-run it."
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "section", "text": {"type": "mrkdwn", "text": details}},
        ],
    }


def on_failure(context) -> None:
    """on_failure_callback: the log line always, the webhook post when one is configured."""
    record = failure_record(context)
    # One line, JSON: Cloud Logging keeps it as the entry's text; the metric matches the marker.
    log.error(json.dumps(record, sort_keys=True))
    url = variable(names.FAILURE_WEBHOOK_URL)
    if not url:
        return
    request = urllib.request.Request(
        url,
        data=json.dumps(slack_message(record)).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
            log.info("failure posted to the webhook (HTTP %s)", response.status)
    except Exception as e:  # the alert log line is out already; say why the post failed
        # The reason only: the URL is a credential and an exception's text may contain it.
        log.error("posting the failure to the webhook failed: %s", type(e).__name__)
