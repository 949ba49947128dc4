"""Payload builders carry every field that real Slack payloads (shared/slack-spec) carry."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jsonschema  # type: ignore[import-untyped]
import pytest

from bot.localslack import payloads

TRIGGER = "1.2.abc"
URL = "http://127.0.0.1:1/response/T0TEST/x"
MESSAGE = {"type": "message", "ts": "1732770000.000100", "text": "hi", "user": "U0ALICE"}


def _spec(*parts: str) -> Path:
    root = os.environ.get("FACTCHECK_SLACK_SPEC")
    base = Path(root) if root else Path(__file__).resolve().parents[3] / "shared" / "slack-spec"
    path = base.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


def _sample(name: str) -> dict[str, Any]:
    loaded = json.loads(_spec("payloads", name).read_text())
    assert isinstance(loaded, dict)
    return loaded


# Enterprise Grid only, or retired (authed_users gave way to authorizations).
NOT_FOR_OUR_APP = {"enterprise_id", "enterprise_name", "authed_users"}


@pytest.mark.parametrize(
    ("sample", "built"),
    [
        (
            "bolt-python__block_actions.json",
            payloads.block_actions(
                user="U0ALICE",
                actions=[payloads.button("claim", value="4")],
                trigger_id=TRIGGER,
                channel="C0DESK",
                message=MESSAGE,
                response_url=URL,
            ),
        ),
        (
            "bolt-python__view_submission_with_response_urls.json",
            payloads.view_submission(
                user="U0ALICE",
                view={"type": "modal", "callback_id": "verify", "blocks": []},
                values={},
                trigger_id=TRIGGER,
            ),
        ),
        (
            "bolt-python__message_action.json",
            payloads.message_action(
                user="U0ALICE",
                callback_id="send",
                channel="C0DESK",
                message=MESSAGE,
                trigger_id=TRIGGER,
                response_url=URL,
            ),
        ),
        (
            "bolt-python__app_mention__event_callback.json",
            payloads.event_callback(
                payloads.app_mention_event(user="U0ALICE", channel="C0DESK", text="<@U0BOT> x")
            ),
        ),
        (
            "bolt-python__message_changed__event_callback.json",
            payloads.event_callback(
                payloads.message_changed_event(
                    channel="C0DESK", user="U0ALICE", ts=MESSAGE["ts"], old_text="a", new_text="b"
                )
            ),
        ),
    ],
)
def test_builders_have_the_fields_of_real_payloads(sample: str, built: dict[str, Any]) -> None:
    real = _sample(sample)
    assert set(real) - NOT_FOR_OUR_APP <= set(built)
    if "event" in real:
        assert set(real["event"]) <= set(built["event"])
    if "actions" in real:
        assert set(real["actions"][0]) <= set(built["actions"][0])
        assert set(real["container"]) <= set(built["container"])


def test_slash_command_has_the_fields_slack_sends() -> None:
    text = _spec("payloads", "bolt-python__slash_command.form.txt").read_text().strip()
    real = dict(parse_qsl(text, keep_blank_values=True))
    built = payloads.slash_command(
        command="/factcheck", text="", user_id="U0ALICE", channel_id="C0DESK", response_url=URL
    )
    assert set(real) - NOT_FOR_OUR_APP <= set(built)


def test_event_callback_matches_the_wrapper_schema() -> None:
    schema = json.loads(_spec("events-api", "slack_common_event_wrapper_schema.json").read_text())
    # authed_users was retired in favour of authorizations; real deliveries no longer carry it.
    schema["required"] = [name for name in schema["required"] if name != "authed_users"]
    event = payloads.message_event(user="U0ALICE", channel="C0DESK", text="x")
    jsonschema.validate(payloads.event_callback(event), schema)
