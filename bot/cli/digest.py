"""`factcheck digest [--channel C] [--post]`: today's digest on the terminal, or posted to Slack."""

from __future__ import annotations

import argparse

from slack_sdk.errors import SlackApiError

from bot.config import load_settings
from bot.errors import ConfigError, UserError

NO_CHANNEL = (
    "no channel to post the digest to: pass --channel C0123ABCD or set "
    "FACTCHECK_DIGEST_CHANNEL (or FACTCHECK_CHANNELS)"
)
POST_WITHOUT_SLACK = "SLACK_BOT_TOKEN is not set: --post needs the bot's xoxb- token"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the desk's digest as editors get it each morning; with --post, post "
        "it to the channel now (on demand: the scheduled daily digest still goes out)."
    )
    parser.add_argument("--channel", help="channel ID (default: the digest channel(s))")
    parser.add_argument("--post", action="store_true", help="post the digest to Slack")
    parser.set_defaults(handler=digest)


def digest(args: argparse.Namespace) -> int:
    settings = load_settings()
    # Imported here so `factcheck --help` stays quick.
    from bot.digest import compose_digest, digest_channels, post_digest
    from bot.render.digest import digest_as_text
    from bot.runtime import build_services
    from storage.db import session_scope

    if args.post and settings.slack_bot_token is None:
        raise ConfigError(POST_WITHOUT_SLACK)
    services = build_services(settings)
    try:
        now = services.clock()
        with session_scope(services.engine) as session:
            channels = (
                [args.channel]
                if args.channel
                else digest_channels(session, settings=settings, now=now)
            )
            if args.post and not channels:
                raise UserError(NO_CHANNEL)
            if not args.post:
                # Without a channel the figures are the whole desk's.
                for channel in channels or [""]:
                    message = compose_digest(session, settings=settings, channel=channel, now=now)
                    print(digest_as_text(message))
                return 0
        for channel in channels:
            try:
                posted = post_digest(services, channel=channel, now=now)
            except SlackApiError as error:
                raise UserError(
                    f"Slack refused the digest for {channel}: {error.response.get('error')}"
                ) from None
            print(f"posted the digest to {posted.channel} (ts {posted.message_ts})")
        return 0
    finally:
        services.engine.dispose()
