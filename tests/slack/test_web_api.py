"""The Web API stand-in answers slack_sdk's WebClient the way Slack does, method by method."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.localslack.web_api import ALICE, BOB, DESK, NEWSROOM, RANDOM, SlackStandIn

SECTION = [{"type": "section", "text": {"type": "mrkdwn", "text": "Ticket *#4*"}}]


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def api_error(call: Callable[[], Any]) -> dict[str, Any]:
    """Run a WebClient call expected to fail; return Slack's JSON answer."""
    with pytest.raises(SlackApiError) as caught:
        call()
    data = caught.value.response.data
    assert isinstance(data, dict)
    assert data["ok"] is False
    return data


def test_base_url_ends_with_api_slash(slack: SlackStandIn) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", slack.api_url)


# ------------------------------------------------------------------------------- auth


def test_auth_test_names_the_bot(client: WebClient, slack: SlackStandIn) -> None:
    answer = client.auth_test()
    assert answer["user_id"] == slack.bot_user_id
    assert answer["bot_id"] == slack.bot_id
    assert answer["team_id"] == "T0TEST"


def test_missing_token_is_not_authed(slack: SlackStandIn) -> None:
    data = api_error(lambda: WebClient(base_url=slack.api_url).auth_test())
    assert data["error"] == "not_authed"


def test_unknown_token_is_invalid_auth(slack: SlackStandIn) -> None:
    data = api_error(lambda: WebClient(token="xoxb-nope", base_url=slack.api_url).auth_test())
    assert data["error"] == "invalid_auth"


def test_errors_come_as_http_200(slack: SlackStandIn) -> None:
    response = httpx.post(slack.api_url + "auth.test")
    assert response.status_code == 200
    assert response.json() == {"ok": False, "error": "not_authed"}


def test_token_in_form_body_is_accepted(slack: SlackStandIn) -> None:
    response = httpx.post(slack.api_url + "auth.test", data={"token": slack.bot_token})
    assert response.json()["ok"] is True


def test_app_token_is_only_for_socket_mode(slack: SlackStandIn) -> None:
    client = WebClient(token=slack.app_token, base_url=slack.api_url)
    assert api_error(client.auth_test)["error"] == "not_allowed_token_type"


def test_unknown_method(client: WebClient) -> None:
    assert api_error(lambda: client.api_call("chat.nothing"))["error"] == "unknown_method"


# ------------------------------------------------------------------------------- chat


def test_post_message_returns_a_bot_message(client: WebClient, slack: SlackStandIn) -> None:
    answer = client.chat_postMessage(channel=DESK, text="Ticket #4", blocks=SECTION)
    assert answer["channel"] == DESK
    assert re.fullmatch(r"\d{10}\.\d{6}", answer["ts"])
    message = answer["message"]
    assert message["type"] == "message"
    assert message["user"] == slack.bot_user_id
    assert message["bot_id"] == slack.bot_id
    assert message["text"] == "Ticket #4"
    assert message["blocks"][0]["block_id"]  # Slack fills in block ids
    assert slack.messages_in(DESK)[0]["ts"] == answer["ts"]


def test_ts_strictly_increase(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=DESK, text=str(i))["ts"] for i in range(5)]
    keys = [tuple(map(int, ts.split("."))) for ts in stamps]
    assert keys == sorted(set(keys))


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_errors(client: WebClient) -> None:
    assert api_error(lambda: client.chat_postMessage(channel="C0NONE", text="x"))["error"] == (
        "channel_not_found"
    )
    assert api_error(lambda: client.chat_postMessage(channel=DESK))["error"] == "no_text"
    assert api_error(lambda: client.chat_postMessage(channel=RANDOM, text="x"))["error"] == (
        "not_in_channel"
    )
    too_long = "x" * 40_001
    assert api_error(lambda: client.chat_postMessage(channel=DESK, text=too_long))["error"] == (
        "msg_too_long"
    )


def test_post_to_a_user_id_lands_in_the_dm(client: WebClient, slack: SlackStandIn) -> None:
    answer = client.chat_postMessage(channel=ALICE, text="You claimed #4")
    assert answer["channel"].startswith("D")
    assert answer["channel"] == client.conversations_open(users=ALICE)["channel"]["id"]
    assert [m["text"] for m in slack.dms_to(ALICE)] == ["You claimed #4"]
    assert slack.dms_to(BOB) == []


def test_threads_and_edits(client: WebClient, slack: SlackStandIn) -> None:
    parent = client.chat_postMessage(channel=DESK, text="card")["ts"]
    client.chat_postMessage(channel=DESK, text="first", thread_ts=parent)
    client.chat_postMessage(channel=DESK, text="second", thread_ts=parent)
    client.chat_update(channel=DESK, ts=parent, text="card (claimed)")
    thread = client.conversations_replies(channel=DESK, ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["card (claimed)", "first", "second"]
    assert thread[0]["reply_count"] == 2
    assert thread[0]["edited"]["user"] == slack.bot_id
    assert thread[1]["thread_ts"] == parent
    assert [m["text"] for m in slack.messages_in(DESK)] == ["card (claimed)"]
    assert len(slack.messages_in(DESK, thread_ts=parent)) == 3


def test_update_keeps_blocks_unless_given(client: WebClient, slack: SlackStandIn) -> None:
    ts = client.chat_postMessage(channel=DESK, text="t", blocks=SECTION)["ts"]
    client.chat_update(channel=DESK, ts=ts, text="new text")
    assert slack.message(DESK, ts)["blocks"][0]["text"]["text"] == "Ticket *#4*"  # type: ignore[index]
    client.chat_update(channel=DESK, ts=ts, text="no blocks", blocks=[])
    assert "blocks" not in slack.message(DESK, ts)  # type: ignore[operator]


def test_update_errors(client: WebClient, slack: SlackStandIn) -> None:
    human = slack.post_as_user(ALICE, DESK, "a claim")
    assert api_error(lambda: client.chat_update(channel=DESK, ts="1.000001", text="x"))[
        "error"
    ] == ("message_not_found")
    assert api_error(lambda: client.chat_update(channel=DESK, ts=human["ts"], text="x"))[
        "error"
    ] == ("cant_update_message")
    dm_ts = client.chat_postMessage(channel=ALICE, text="dm")["ts"]
    # chat.update needs the D id; a user id is not a channel here.
    assert api_error(lambda: client.chat_update(channel=ALICE, ts=dm_ts, text="x"))["error"] == (
        "channel_not_found"
    )


def test_post_ephemeral(client: WebClient, slack: SlackStandIn) -> None:
    answer = client.chat_postEphemeral(channel=DESK, user=ALICE, text="Only you see this")
    assert re.fullmatch(r"\d+\.\d{6}", answer["message_ts"])
    assert slack.assert_one_ephemeral(ALICE, containing="Only you").via == "chat.postEphemeral"
    assert slack.messages_in(DESK) == []


def test_post_ephemeral_to_a_non_member(client: WebClient, slack: SlackStandIn) -> None:
    private = slack.add_channel("editors", members={BOB})
    data = api_error(lambda: client.chat_postEphemeral(channel=private, user=ALICE, text="x"))
    assert data["error"] == "user_not_in_channel"


def test_get_permalink(client: WebClient, slack: SlackStandIn) -> None:
    parent = client.chat_postMessage(channel=DESK, text="p")["ts"]
    reply = client.chat_postMessage(channel=DESK, text="r", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=DESK, message_ts=parent)["permalink"]
    assert link == f"https://factdesk.slack.com/archives/{DESK}/p{parent.replace('.', '')}"
    reply_link = client.chat_getPermalink(channel=DESK, message_ts=reply)["permalink"]
    assert reply_link.endswith(f"?thread_ts={parent}&cid={DESK}")
    data = api_error(lambda: client.chat_getPermalink(channel=DESK, message_ts="1.000002"))
    assert data["error"] == "message_not_found"


def test_delete(client: WebClient, slack: SlackStandIn) -> None:
    ts = client.chat_postMessage(channel=DESK, text="gone soon")["ts"]
    assert client.chat_delete(channel=DESK, ts=ts)["ts"] == ts
    assert slack.messages_in(DESK) == []
    assert slack.deleted_messages()[0][0] == DESK
    assert api_error(lambda: client.chat_delete(channel=DESK, ts=ts))["error"] == (
        "message_not_found"
    )


# ------------------------------------------------------------------------------- conversations


def test_conversations_open(client: WebClient, slack: SlackStandIn) -> None:
    first = client.conversations_open(users=BOB)
    again = client.conversations_open(users=BOB, return_im=True)
    assert first["channel"]["id"] == again["channel"]["id"]
    assert again["already_open"] is True
    assert again["channel"]["is_im"] is True
    assert again["channel"]["user"] == BOB
    assert api_error(lambda: client.conversations_open(users="U0GHOST"))["error"] == (
        "user_not_found"
    )
    assert (
        api_error(lambda: client.api_call("conversations.open"))["error"]
        == "users_list_not_supplied"
    )


def test_conversations_info(client: WebClient) -> None:
    channel = client.conversations_info(channel=DESK)["channel"]
    assert (channel["id"], channel["name"], channel["is_channel"]) == (
        DESK,
        "factcheck-desk",
        True,
    )
    assert api_error(lambda: client.conversations_info(channel="C0NONE"))["error"] == (
        "channel_not_found"
    )


def test_conversations_history_pages_newest_first(client: WebClient, slack: SlackStandIn) -> None:
    stamps = [client.chat_postMessage(channel=NEWSROOM, text=str(i))["ts"] for i in range(5)]
    client.chat_postMessage(channel=NEWSROOM, text="reply", thread_ts=stamps[0])
    first = client.conversations_history(channel=NEWSROOM, limit=3)
    assert [m["text"] for m in first["messages"]] == ["4", "3", "2"]
    assert first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel=NEWSROOM, limit=3, cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["1", "0"]
    assert rest["has_more"] is False
    assert api_error(lambda: client.conversations_history(channel=RANDOM))["error"] == (
        "not_in_channel"
    )


def test_message_metadata_comes_back_only_when_asked_for(
    client: WebClient, slack: SlackStandIn
) -> None:
    metadata = {"event_type": "factcheck_outbox", "event_payload": {"outbox_id": 7}}
    top = client.chat_postMessage(channel=NEWSROOM, text="digest", metadata=metadata)["ts"]
    client.chat_postMessage(channel=NEWSROOM, text="card", thread_ts=top, metadata=metadata)
    client.chat_postMessage(channel=BOB, text="dm", metadata=metadata)
    dm = client.conversations_open(users=BOB)["channel"]["id"]

    def read(channel: str, thread: str | None, everything: bool) -> list[dict[str, Any]]:
        if thread is None:
            answer = client.conversations_history(channel=channel, include_all_metadata=everything)
        else:
            answer = client.conversations_replies(
                channel=channel, ts=thread, include_all_metadata=everything
            )
        return list(answer["messages"])

    for channel, thread in ((NEWSROOM, None), (NEWSROOM, top), (dm, None)):
        assert all("metadata" not in message for message in read(channel, thread, False))
        shown = read(channel, thread, True)
        assert shown
        assert [message["metadata"] for message in shown] == [metadata] * len(shown)


def test_reading_a_dm_needs_the_im_scopes(client: WebClient, slack: SlackStandIn) -> None:
    dm = client.conversations_open(users=BOB)["channel"]["id"]
    slack.granted_scopes = {"chat:write", "channels:history", "groups:history"}
    assert api_error(lambda: client.conversations_open(users=BOB))["error"] == "missing_scope"
    assert api_error(lambda: client.conversations_history(channel=dm))["error"] == ("missing_scope")
    assert client.conversations_history(channel=NEWSROOM)["ok"]
    slack.granted_scopes |= {"im:history", "im:write"}
    assert client.conversations_open(users=BOB)["channel"]["id"] == dm
    assert client.conversations_history(channel=dm)["ok"]


def test_conversations_replies_errors(client: WebClient) -> None:
    assert api_error(lambda: client.conversations_replies(channel=DESK, ts="1.000003"))[
        "error"
    ] == ("thread_not_found")


# ------------------------------------------------------------------------------- users


def test_users_info_has_time_zone(client: WebClient) -> None:
    user = client.users_info(user=BOB)["user"]
    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)
    assert api_error(lambda: client.users_info(user="U0GHOST"))["error"] == "user_not_found"


# ------------------------------------------------------------------------------- views

MODAL = {
    "type": "modal",
    "callback_id": "verify",
    "title": {"type": "plain_text", "text": "Verify #4"},
    "submit": {"type": "plain_text", "text": "Save"},
    "private_metadata": "4",
    "blocks": [
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def test_views_open_needs_a_fresh_trigger(client: WebClient, slack: SlackStandIn) -> None:
    trigger = slack.new_trigger_id(ALICE)
    view = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert view["id"].startswith("V")
    assert view["callback_id"] == "verify"
    assert view["private_metadata"] == "4"
    assert slack.views_opened(ALICE)[0]["id"] == view["id"]
    assert api_error(lambda: client.views_open(trigger_id=trigger, view=MODAL))["error"] == (
        "exchanged_trigger_id"
    )
    unknown = "12345.67890.abcdef"
    assert api_error(lambda: client.views_open(trigger_id=unknown, view=MODAL))["error"] == (
        "invalid_trigger_id"
    )
    assert api_error(lambda: client.views_open(trigger_id="nonsense", view=MODAL))["error"] == (
        "invalid_arguments"
    )


def test_views_open_trigger_expires(slack: SlackStandIn) -> None:
    slack.trigger_ttl = 0.0
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    trigger = slack.new_trigger_id(ALICE)
    assert api_error(lambda: client.views_open(trigger_id=trigger, view=MODAL))["error"] == (
        "expired_trigger_id"
    )


def test_views_push_and_update(client: WebClient, slack: SlackStandIn) -> None:
    opened = client.views_open(trigger_id=slack.new_trigger_id(ALICE), view=MODAL)["view"]
    pushed = client.views_push(trigger_id=slack.new_trigger_id(ALICE), view=MODAL)["view"]
    assert pushed["root_view_id"] == opened["id"]
    assert pushed["previous_view_id"] == opened["id"]
    changed = {**MODAL, "title": {"type": "plain_text", "text": "Verified"}}
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=changed)
    assert updated["view"]["title"]["text"] == "Verified"
    data = api_error(lambda: client.views_update(view_id=opened["id"], hash="1.x", view=MODAL))
    assert data["error"] == "hash_conflict"
    assert api_error(lambda: client.views_update(view_id="V0NONE", view=MODAL))["error"] == (
        "not_found"
    )


def test_views_push_needs_an_open_modal(client: WebClient, slack: SlackStandIn) -> None:
    trigger = slack.new_trigger_id(BOB)
    assert api_error(lambda: client.views_push(trigger_id=trigger, view=MODAL))["error"] == (
        "not_found"
    )


def test_views_publish(client: WebClient, slack: SlackStandIn) -> None:
    home = {"type": "home", "blocks": SECTION}
    client.views_publish(user_id=ALICE, view=home)
    published = slack.last_view_published_for(ALICE)
    assert published is not None
    assert published["type"] == "home"
    assert slack.last_view_published_for(BOB) is None
    data = api_error(lambda: client.views_publish(user_id="U0GHOST", view=home))
    assert data["error"] == "invalid_arguments"


def test_modal_title_limit(client: WebClient, slack: SlackStandIn) -> None:
    view = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    data = api_error(lambda: client.views_open(trigger_id=slack.new_trigger_id(ALICE), view=view))
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


# ------------------------------------------------------------------------------- reactions


def test_reactions(client: WebClient, slack: SlackStandIn) -> None:
    claim = slack.post_as_user(ALICE, DESK, "the mayor said 40%")
    client.reactions_add(channel=DESK, timestamp=claim["ts"], name="mag")
    assert slack.reactions_on(DESK, claim["ts"]) == ["mag"]
    data = api_error(lambda: client.reactions_add(channel=DESK, timestamp=claim["ts"], name="mag"))
    assert data["error"] == "already_reacted"
    client.reactions_remove(channel=DESK, timestamp=claim["ts"], name="mag")
    assert slack.reactions_on(DESK, claim["ts"]) == []
    data = api_error(
        lambda: client.reactions_remove(channel=DESK, timestamp=claim["ts"], name="mag")
    )
    assert data["error"] == "no_reaction"
    data = api_error(lambda: client.reactions_add(channel=DESK, timestamp="1.000004", name="x"))
    assert data["error"] == "message_not_found"


# ------------------------------------------------------------------------------- socket url


def test_apps_connections_open_needs_the_app_token(slack: SlackStandIn, socket_server: Any) -> None:
    app_client = WebClient(base_url=slack.api_url)
    url = app_client.apps_connections_open(app_token=slack.app_token)["url"]
    assert url.startswith(f"ws://127.0.0.1:{socket_server.port}/link/?ticket=")
    data = api_error(lambda: app_client.apps_connections_open(app_token=slack.bot_token))
    assert data["error"] == "not_allowed_token_type"


# ------------------------------------------------------------------------------- faults


def test_rate_limit_is_retried_after_retry_after(slack: SlackStandIn) -> None:
    slack.rate_limit_next("chat.postMessage", retry_after=1)
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    started = time.monotonic()
    client.chat_postMessage(channel=DESK, text="after the wait")
    assert time.monotonic() - started >= 1.0
    statuses = [c.status for c in slack.calls("chat.postMessage")]
    assert statuses == [429, 200]
    assert len(slack.messages_in(DESK)) == 1


def test_rate_limit_without_handler_raises_429(client: WebClient, slack: SlackStandIn) -> None:
    slack.rate_limit_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel=DESK, text="x")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == ["7"] or (
        caught.value.response.headers.get("Retry-After") == "7"
    )
    assert caught.value.response["error"] == "ratelimited"


def test_server_error_and_injected_error(client: WebClient, slack: SlackStandIn) -> None:
    slack.server_error_next("users.info")
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user=ALICE)
    assert caught.value.response.status_code == 500
    slack.error_next("users.info", "fatal_error", times=2)
    assert api_error(lambda: client.users_info(user=ALICE))["error"] == "fatal_error"
    assert api_error(lambda: client.users_info(user=ALICE))["error"] == "fatal_error"
    assert client.users_info(user=ALICE)["ok"] is True


# ------------------------------------------------------------------------------- response_url


def test_response_url_ephemeral_in_channel_replace_delete(
    client: WebClient, slack: SlackStandIn
) -> None:
    card = client.chat_postMessage(channel=DESK, text="card", blocks=SECTION)["ts"]
    url = slack.new_response_url(channel=DESK, user=ALICE, message_ts=card)
    hook = WebhookClient(url)
    assert hook.send(text="Only Alice").status_code == 200
    assert hook.send(text="Everyone", response_type="in_channel").status_code == 200
    assert hook.send(text="Claimed", replace_original=True).status_code == 200
    assert slack.message(DESK, card)["text"] == "Claimed"  # type: ignore[index]
    assert hook.send(text="", delete_original=True).status_code == 200
    assert slack.message(DESK, card) is None
    kinds = [(r.response_type, r.replace_original, r.delete_original) for r in slack.responses()]
    assert kinds == [
        ("ephemeral", False, False),
        ("in_channel", False, False),
        ("ephemeral", True, False),
        ("ephemeral", False, True),
    ]
    assert slack.assert_one_ephemeral(ALICE).via == "response_url"
    assert [m["text"] for m in slack.messages_in(DESK)] == ["Everyone"]
    assert hook.send(text="fifth use").status_code == 200
    assert hook.send(text="sixth use").status_code == 404  # Slack: five uses per response_url


def test_unknown_response_url_is_404(slack: SlackStandIn) -> None:
    response = WebhookClient(f"{slack.base_url}/response/T0TEST/nope").send(text="x")
    assert response.status_code == 404


# ------------------------------------------------------------------------------- recorder


def test_calls_record_decoded_arguments(client: WebClient, slack: SlackStandIn) -> None:
    client.chat_postMessage(channel=DESK, text="x", blocks=SECTION)
    client.api_call("chat.postMessage", params={"channel": DESK, "blocks": '[{"type":"divider"}]'})
    calls = slack.calls("chat.postMessage")
    assert calls[0].args["blocks"] == SECTION
    assert calls[1].args["blocks"] == [{"type": "divider"}]
    assert calls[0].token == slack.bot_token
    assert all(c.ok for c in calls)


def test_wait_for_sees_a_call_made_later(client: WebClient, slack: SlackStandIn) -> None:
    ready = threading.Event()

    def bot() -> None:
        ready.wait(5)
        client.chat_postMessage(channel=ALICE, text="Reminder: ticket #4 is due")

    worker = threading.Thread(target=bot)
    worker.start()
    ready.set()
    dm = slack.assert_one_dm(ALICE, containing="#4")
    worker.join()
    assert dm["text"].startswith("Reminder")
    with pytest.raises(AssertionError, match="timed out"):
        slack.wait_for(lambda: slack.dms_to(BOB), timeout=0.05, description="a DM to Bob")


# ------------------------------------------------------------------------------- files


def test_files_upload_v2_shares_the_bytes_in_the_channel(
    client: WebClient, slack: SlackStandIn
) -> None:
    content = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    answer = client.files_upload_v2(
        channel=DESK,
        file=content,
        filename="chart.png",
        title="The week",
        alt_txt="bars",
        blocks='[{"type": "section", "text": {"type": "mrkdwn", "text": "Week *10*"}}]',
    )
    [shared] = slack.files_shared_in(DESK)
    assert answer["file"]["id"] == shared.id
    assert (shared.content, shared.mimetype, shared.title) == (content, "image/png", "The week")
    [message] = slack.messages_in(DESK)
    assert message["blocks"][0]["text"]["text"] == "Week *10*"
    assert message["files"][0]["name"] == "chart.png"
    assert message["files"][0]["alt_txt"] == "bars"
    assert message["files"][0]["size"] == len(content)
    served = httpx.get(message["files"][0]["url_private"])
    assert served.content == content
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_file_upload_errors(client: WebClient, slack: SlackStandIn) -> None:
    empty = api_error(lambda: client.files_getUploadURLExternal(filename="a", length=0))
    assert empty["error"] == "missing_argument"
    long_alt = api_error(
        lambda: client.files_getUploadURLExternal(filename="a", length=3, alt_txt="x" * 1001)
    )
    assert long_alt["error"] == "alt_txt_too_large"
    # Completing an upload whose bytes never arrived, or an unknown file.
    ticket = client.files_getUploadURLExternal(filename="a.txt", length=3)
    never_sent = api_error(
        lambda: client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}])
    )
    assert never_sent["error"] == "file_not_found"
    unknown = api_error(lambda: client.files_completeUploadExternal(files=[{"id": "F0NOPE"}]))
    assert unknown["error"] == "file_not_found"
    # The bot is not in #random.
    with pytest.raises(SlackApiError) as caught:
        client.files_upload_v2(channel=RANDOM, content="abc", filename="a.txt")
    assert caught.value.response["error"] == "not_in_channel"
    assert slack.files_shared_in(RANDOM) == []
