"""The playground's desk: the real bot served over HTTP against the local Slack, and the people's
actions delivered to it as signed requests, exactly as Slack would send them.

One process owns it all: the stand-in (a thread), the bot's waitress server (a thread), the
bot's background jobs (the scheduler's thread) and the page (see `bot.playground.page`).
`stop()` ends each of them; nothing binds anything but 127.0.0.1.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

import httpx

from bot.app import create_app
from bot.clock import next_local_time
from bot.config import Settings, load_settings
from bot.digest import digest_channels, digest_date_due
from bot.localslack import payloads
from bot.localslack.driver import Delivery, SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import SlackStandIn
from bot.playground.clock import DeskTime
from bot.playground.workspace import CHANNELS, EDITORS, as_slack_sends, handles, seed_playground
from bot.render.ids import MESSAGE_SHORTCUT_CALLBACK, SLASH_COMMAND
from bot.runtime import BackgroundJobs, build_services, start_background_jobs
from bot.services import Services
from bot.web import EVENTS_PATH, close_server, create_http_server
from bot.weekly import report_week_due
from storage.db import session_scope
from storage.reminders import claim_digest_run, mark_digest_posted
from storage.weekly_reports import claim_weekly_report

logger = logging.getLogger(__name__)

LOOPBACK: Final = "127.0.0.1"
UNKNOWN_COMMAND: Final = "Only {command} is installed in this workspace."
NOT_ACKED: Final = "The bot did not acknowledge that (HTTP {status}); see the terminal's log."
GONE: Final = "That is no longer there; it may have been updated. Try again."
NO_SCHEDULER: Final = "The scheduler is not running in this process, so nothing comes due."
#: How far past a due moment a jump lands, so the sweep sees it as due.
PAST_DUE: Final = timedelta(minutes=1)
TIME_JUMPS: Final = ("hour", "reminders", "digest")


@dataclass(frozen=True)
class Container:
    """Where an action came from: a message, an ephemeral message, or a view (modal or Home)."""

    kind: str
    channel: str = ""
    ts: str = ""
    view_id: str = ""


class Playground:
    """The bot, the local Slack and the desk clock, started together and stopped together."""

    def __init__(self, database: Path, *, overrides: dict[str, Any] | None = None) -> None:
        self.database = database
        self.overrides = dict(overrides or {})
        self.time = DeskTime()
        # Messages are stamped with desk time, so they sort and read with the desk's clock.
        self.slack = SlackStandIn(message_clock=lambda: self.time().timestamp())
        self._acting = threading.Lock()
        self._stoppers: list[Any] = []
        self.settings: Settings | None = None
        self.services: Services | None = None
        self.background = BackgroundJobs()
        self.bot_url = ""
        self.driver: SlackDriver | None = None

    # ----------------------------------------------------------------- life

    def start(self) -> Playground:
        """Start the local Slack, then the bot against it (migrating a fresh SQLite file)."""
        self.slack.start()
        self._stoppers.append(self.slack.stop)
        seed_playground(self.slack)
        for leftover in self._database_files():
            leftover.unlink(missing_ok=True)
        settings = load_settings(
            **{
                "slack_bot_token": self.slack.bot_token,
                "slack_signing_secret": self.slack.signing_secret,
                "slack_app_token": None,
                "slack_api_url": self.slack.api_url,
                "database_url": f"sqlite:///{self.database}",
                "channels": [CHANNELS[0][0]],
                "editors": list(EDITORS),
                "digest_channel": None,
                "scheduler": True,
                # The playground shows reminders whenever it is played, night included.
                "quiet_hours": None,
                **self.overrides,
            }
        )
        services = build_services(settings)
        services.clock = self.time
        self.settings, self.services = settings, services
        self._stoppers.append(services.engine.dispose)
        self._stoppers.append(services.work.drain)  # what was acked is answered first
        server = create_http_server(
            services, create_app(services), mode="http", host=LOOPBACK, port=0
        )
        serving = threading.Thread(target=server.run, name="playground-bot", daemon=True)
        serving.start()
        self._stoppers.append(lambda: _close_in_its_loop(server, serving))
        self.bot_url = f"http://{LOOPBACK}:{server.effective_port}"
        _nothing_missed(services)
        self.background = start_background_jobs(services)
        self._stoppers.append(self.background.stop)
        sender = EventSender(self.bot_url + EVENTS_PATH, self.slack.signing_secret)
        self._stoppers.append(sender.close)
        self.driver = SlackDriver(self.slack, sender=sender)
        return self

    def stop(self) -> None:
        """Stop everything `start` started, newest first."""
        while self._stoppers:
            stop = self._stoppers.pop()
            try:
                stop()
            except Exception:
                logger.exception("error while stopping the playground")

    def _database_files(self) -> list[Path]:
        """The SQLite file and its journal: the desk starts empty, as the local Slack does."""
        return [self.database, *(Path(f"{self.database}{s}") for s in ("-wal", "-shm"))]

    @property
    def _people(self) -> SlackDriver:
        if self.driver is None:
            raise RuntimeError("the playground is not running; call start()")
        return self.driver

    # ----------------------------------------------------------------- people

    def say(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> str | None:
        """``user`` sends what they typed: a message (a mention too) or a slash command.

        Returns a notice for the person when there is one (an unknown command).
        """
        people = handles(self.slack)
        with self._acting:
            if text.startswith("/"):
                command, _, rest = text.partition(" ")
                if command != SLASH_COMMAND:
                    return UNKNOWN_COMMAND.format(command=SLASH_COMMAND)
                arguments = as_slack_sends(rest.strip(), people, command=True)
                delivery = self._people.command(user, command, arguments, channel=channel)
                self._show_command_answer(delivery)
                return self._refused(delivery)
            message = self._people.say(
                user, channel, as_slack_sends(text, people), thread_ts=thread_ts
            )
            if f"<@{self.slack.bot_user_id}>" in message["text"]:
                delivery = self._people.event(
                    payloads.app_mention_event(
                        user=user,
                        channel=channel,
                        text=message["text"],
                        ts=message["ts"],
                        thread_ts=thread_ts,
                    )
                )
                return self._refused(delivery)
        return None

    def _show_command_answer(self, delivery: Delivery) -> None:
        """A slash command's ack body is shown to the person, as Slack does (via its response_url)."""
        body = delivery.body
        if isinstance(body, str) and body.strip():
            body = {"text": body}
        if isinstance(body, dict) and (body.get("text") or body.get("blocks")):
            assert delivery.response_url is not None
            httpx.post(delivery.response_url, json=body, timeout=10)

    @staticmethod
    def _refused(delivery: Delivery) -> str | None:
        return None if delivery.acked else NOT_ACKED.format(status=delivery.status)

    def act(
        self,
        user: str,
        container: Container,
        action_id: str,
        value: str | None = None,
        *,
        block_id: str | None = None,
    ) -> str | None:
        """``user`` presses a button (or picks ``value`` from a menu) of block ``block_id``
        where ``container`` says."""
        people = self._people
        with self._acting:
            try:
                if container.kind == "view":
                    view = self.slack.view(container.view_id)
                    if view is None:
                        return GONE
                    delivery = people.act_in_view(user, view, action_id, value, block_id=block_id)
                elif container.kind == "ephemeral":
                    found = [
                        e
                        for e in self.slack.ephemerals_to(user, channel=container.channel)
                        if e.message.get("ts") == container.ts
                    ]
                    if not found:
                        return GONE
                    delivery = self._press(
                        user, found[-1], action_id, value, container.channel, block_id
                    )
                else:
                    message = self.slack.message(container.channel, container.ts)
                    if message is None:
                        return GONE
                    delivery = self._press(
                        user, message, action_id, value, container.channel, block_id
                    )
            except AssertionError:
                return GONE
        return self._refused(delivery)

    def _press(
        self,
        user: str,
        target: Any,
        action_id: str,
        value: str | None,
        channel: str,
        block_id: str | None,
    ) -> Delivery:
        if value is None:
            return self._people.click(user, target, action_id, channel=channel, block_id=block_id)
        return self._people.choose(
            user, target, action_id, value, channel=channel, block_id=block_id
        )

    def shortcut(self, user: str, channel: str, ts: str) -> str | None:
        """``user`` runs "Fact-check this message" on message ``ts``."""
        with self._acting:
            message = self.slack.message(channel, ts)
            if message is None:
                return GONE
            delivery = self._people.shortcut(
                user, message, MESSAGE_SHORTCUT_CALLBACK, channel=channel
            )
        return self._refused(delivery)

    def submit(self, user: str, view_id: str, values: dict[str, Any]) -> str | None:
        """``user`` submits the modal ``view_id`` with ``values``; the bot's answer decides
        whether it closes, shows errors by its fields, or changes."""
        with self._acting:
            view = self.slack.view(view_id)
            if view is None:
                return GONE
            delivery = self._people.submit(user, view, values)
            if delivery.acked:
                self.slack.answer_submission(user, view_id, delivery.body)
        return self._refused(delivery)

    def close(self, user: str, view_id: str) -> None:
        """``user`` closes the modal (Slack tells the bot only when it asked: notify_on_close)."""
        self.slack.close_modal(user, view_id)

    def open_home(self, user: str) -> str | None:
        """``user`` opens the App Home tab: Slack sends app_home_opened."""
        with self._acting:
            delivery = self._people.open_home(user)
        return self._refused(delivery)

    # ----------------------------------------------------------------- time

    def jump(self, to: str) -> str:
        """Move the desk's clock forward and run the scheduler's sweep now.

        ``hour``: one hour; ``reminders``: one reminder interval (every claimed ticket's next
        reminder comes due); ``digest``: to the next digest time. Returns what happened.
        """
        settings = self._settings
        now = self.time()
        if to == "reminders":
            by = settings.reminder_interval + PAST_DUE
        elif to == "digest":
            by = next_local_time(now, settings.digest_time, settings.zone) - now + PAST_DUE
        elif to == "hour":
            by = timedelta(hours=1)
        else:
            raise ValueError(f"unknown jump {to!r}; one of {', '.join(TIME_JUMPS)}")
        self.time.advance(by)
        clock = self.background.desk_clock
        if clock is None:
            return NO_SCHEDULER
        clock.sweep_now()
        return f"The desk clock moved {_duration(by)} ahead; the sweep is running."

    @property
    def _settings(self) -> Settings:
        if self.settings is None:
            raise RuntimeError("the playground is not running; call start()")
        return self.settings


def _nothing_missed(services: Services) -> None:
    """Count today's digest and this week's report as sent: the desk opened empty just now, so
    it missed neither. Without this, a playground started after the digest time (or on the
    report's day) opened with an all-zero digest (or report) that no one had waited for; the
    first now comes at its time, or when the clock is jumped to it."""
    now = services.clock()
    settings = services.settings
    owner = "playground"
    day = digest_date_due(settings, now)
    week = report_week_due(settings, now)
    with session_scope(services.engine) as session:
        for channel in digest_channels(session, settings=settings, now=now):
            if day is not None:
                run = claim_digest_run(
                    session, channel=channel, local_date=day, owner=owner, now=now
                )
                if run is not None and run.id is not None:
                    mark_digest_posted(session, run_id=run.id, owner=owner, now=now)
            if week is not None:
                claim_weekly_report(session, channel=channel, week_start=week, owner=owner, now=now)


def _close_in_its_loop(server: Any, serving: threading.Thread) -> None:
    """Close waitress from its own loop thread (closing its sockets from another thread races
    the loop's select: EBADF), give the loop a moment to finish, then end its worker threads."""
    close_server(server)
    serving.join(timeout=5)
    server.task_dispatcher.shutdown(timeout=5)


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"
