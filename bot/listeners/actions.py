"""Buttons and the overflow menu on cards, Home and reminder DMs: act at once or open a modal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.errors import SlackApiError

from bot.desk import actions, offers
from bot.errors import BadInput
from bot.listeners.errors import after_ack
from bot.render import ids
from bot.render.modals import render_fix_speaker_modal, render_flag_modal, render_verify_modal
from bot.render.reminders import editor_row_done
from bot.services import Services
from bot.workflow import SeenHolder

logger = logging.getLogger(__name__)

REUSE = "reuse"
BAD_BUTTON = "That button is out of date; run `/factcheck show ID` to see the ticket."


@dataclass(frozen=True)
class TicketAction:
    """A click: who, on which ticket, doing what, and the trigger to open a modal with."""

    user: str
    ticket_id: int
    verb: str
    trigger_id: str
    # Where to answer ephemerally when the click was away from the ticket's card (an editor's
    # row in the digest), as the card that shows the change is elsewhere; None: on the card.
    answer_in: str | None = None
    # That row, to be replaced by what was done (`settle_editor_row`).
    row: EditorRow | None = None


@dataclass(frozen=True)
class EditorRow:
    """The message an editor's row of buttons is in, and the row's block id."""

    channel: str
    ts: str
    block_id: str
    text: str
    blocks: list[dict[str, Any]]


def _editor_row(body: dict[str, Any], action: dict[str, Any]) -> EditorRow | None:
    message = body.get("message") or {}
    channel = _channel_of(body)
    ts = message.get("ts") or (body.get("container") or {}).get("message_ts")
    blocks = message.get("blocks")
    if not (channel and ts and isinstance(blocks, list)):
        return None
    text = str(message.get("text") or "")
    return EditorRow(channel, str(ts), str(action.get("block_id", "")), text, blocks)


def settle_editor_row(
    services: Services, row: EditorRow, ticket_id: int, *, editor: str, assignee: str | None
) -> None:
    """Put what was done in place of the row's buttons (digest, escalation DM), so no other
    editor acts on a ticket already taken care of. The message stays as it was otherwise."""
    done = editor_row_done(ticket_id, editor=editor, assignee=assignee)
    blocks = [done if b.get("block_id") == row.block_id else b for b in row.blocks]
    if blocks == row.blocks:
        return
    try:
        services.client.chat_update(channel=row.channel, ts=row.ts, text=row.text, blocks=blocks)
    except SlackApiError as error:  # deleted meanwhile, or too old to edit: the change stands
        logger.info(
            "editor row of #%s in %s not updated: %s",
            ticket_id,
            row.channel,
            error.response.get("error"),
        )


def _channel_of(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return str(channel) if channel else None


def read_action(body: dict[str, Any], action: dict[str, Any]) -> TicketAction:
    user, trigger = body["user"]["id"], body.get("trigger_id", "")
    if action.get("type") == "overflow":
        parsed = ids.parse_menu_value((action.get("selected_option") or {}).get("value", ""))
        if parsed is None:
            raise BadInput(BAD_BUTTON)
        verb, ticket_id = parsed
        return TicketAction(user, ticket_id, verb, trigger)
    value = str(action.get("value", ""))
    if not value.isdigit():
        raise BadInput(BAD_BUTTON)
    verb = {
        ids.ACTION_CLAIM: "claim",
        ids.ACTION_RELEASE: ids.MENU_RELEASE,
        ids.ACTION_VERIFY: ids.MENU_VERIFY,
        ids.ACTION_FLAG: ids.MENU_FLAG,
        ids.ACTION_REUSE_VERDICT: REUSE,
    }[action["action_id"]]
    editor_row, _ = ids.holder_seen_in_block(str(action.get("block_id", "")))
    if not editor_row:
        return TicketAction(user, int(value), verb, trigger)
    return TicketAction(
        user, int(value), verb, trigger, _channel_of(body), _editor_row(body, action)
    )


def handle(services: Services, click: TicketAction) -> None:
    """Claim, release and dismiss act at once (the card shows it, and a click away from the
    card is answered ephemerally); verify, flag and fix speaker open a modal."""
    if click.verb in (ids.MENU_VERIFY, ids.MENU_FLAG):
        ticket = actions.load_ticket(services, click.ticket_id)
        view = (
            render_verify_modal(ticket)
            if click.verb == ids.MENU_VERIFY
            else render_flag_modal(ticket)
        )
        services.client.views_open(trigger_id=click.trigger_id, view=view)
        return
    if click.verb == ids.MENU_FIX_SPEAKER:
        ticket, names = actions.speaker_choices(services, click.ticket_id)
        services.client.views_open(
            trigger_id=click.trigger_id, view=render_fix_speaker_modal(ticket, names)
        )
        return
    if click.verb == "claim":
        answer = actions.claim(services, click.user, [click.ticket_id])
    elif click.verb == ids.MENU_RELEASE:
        answer = actions.release(services, click.user, click.ticket_id)
    elif click.verb == ids.MENU_DISMISS:
        answer = actions.dismiss(services, click.user, click.ticket_id)
    elif click.verb == REUSE:
        answer = actions.reuse_verdict(services, click.user, click.ticket_id)
    else:
        raise BadInput(BAD_BUTTON)
    actions.after_change(services, click.user, answer.changed)
    if click.row is not None and click.verb == "claim" and click.ticket_id in answer.changed:
        settle_editor_row(services, click.row, click.ticket_id, editor=click.user, assignee=None)
    if click.answer_in:
        services.client.chat_postEphemeral(
            channel=click.answer_in, user=click.user, text=answer.message.text
        )


def file_offer(services: Services, body: dict[str, Any], action: dict[str, Any]) -> None:
    """The File button beside an offered claim: file it once, its card shows in the thread."""
    value = str(action.get("value", ""))
    if not value.isdigit():
        raise BadInput(BAD_BUTTON)
    message = body.get("message") or {}
    container = body.get("container") or {}
    thread_ts = message.get("thread_ts") or container.get("thread_ts")
    offers.file_offered_claim(services, body["user"]["id"], int(value), thread_ts=thread_ts)


def assign_picked(services: Services, body: dict[str, Any], action: dict[str, Any]) -> None:
    """An editor picked someone in Assign… (escalation DM, digest): assign the ticket its block
    names, if it is still held as the message showed it, and say so to both."""
    block_id = str(action.get("block_id", ""))
    ticket_id = ids.ticket_id_of_block(block_id)
    assignee = str(action.get("selected_user") or "")
    if ticket_id is None or not assignee:
        raise BadInput(BAD_BUTTON)
    says_holder, holder = ids.holder_seen_in_block(block_id)
    seen = SeenHolder(holder) if says_holder else None
    editor = body["user"]["id"]
    answer = actions.assign(services, editor, ticket_id, assignee, seen=seen)
    actions.after_change(services, editor, answer.changed)
    row = _editor_row(body, action)
    if row is not None and ticket_id in answer.changed:
        settle_editor_row(services, row, ticket_id, editor=editor, assignee=assignee)
    channel = _channel_of(body)
    if channel:
        services.client.chat_postEphemeral(channel=channel, user=editor, text=answer.message.text)


def register(app: App, services: Services) -> None:
    @app.action(ids.ACTION_ASSIGN_PICK)
    def on_assign_pick(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        after_ack(services, body, context, lambda: assign_picked(services, body, action))

    @app.action(ids.ACTION_OPEN_THREAD)
    def on_open_thread(ack: Ack) -> None:
        ack()  # a link button: Slack opens the thread; nothing to do here

    @app.action(ids.ACTION_FILE_OFFER)
    def on_file_offer(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        after_ack(services, body, context, lambda: file_offer(services, body, action))

    for action_id in (
        ids.ACTION_CLAIM,
        ids.ACTION_RELEASE,
        ids.ACTION_VERIFY,
        ids.ACTION_FLAG,
        ids.ACTION_TICKET_MENU,
        ids.ACTION_REUSE_VERDICT,
    ):

        @app.action(action_id)
        def on_ticket_action(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
        ) -> None:
            ack()
            after_ack(services, body, context, lambda: handle(services, read_action(body, action)))
