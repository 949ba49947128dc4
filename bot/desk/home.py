"""The App Home: gather one person's view from the database and publish it."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.render.home import HOME_LIST_LIMIT, HomeData, render_home
from bot.services import Services
from bot.workflow import DeskPolicy, is_editor
from storage.articles import articles_by_ids
from storage.db import snapshot_scope
from storage.digest_figures import digest_figures
from storage.tickets import count_unclaimed, tickets_for_checker, unclaimed_queue

logger = logging.getLogger(__name__)

# "Today" on the editors' glance: the last day, whatever the digest's schedule.
GLANCE_WINDOW = timedelta(days=1)


def home_data(services: Services, user_id: str) -> HomeData:
    now = services.clock()
    policy = DeskPolicy.from_settings(services.settings)
    with snapshot_scope(services.engine) as session:
        editor = is_editor(session, user_id, policy=policy)
        mine = tickets_for_checker(session, user_id, limit=500)
        queue = unclaimed_queue(session, limit=HOME_LIST_LIMIT)
        total = count_unclaimed(session)
        articles = articles_by_ids(session, sorted({t.article_id for t in [*mine, *queue]}))
        figures = (
            digest_figures(session, channel=None, since=now - GLANCE_WINDOW, now=now, list_limit=8)
            if editor
            else None
        )
    return HomeData(
        user_id=user_id,
        now=now,
        mine=mine,
        queue=queue,
        queue_total=total,
        figures=figures,
        is_editor=editor,
        articles=articles,
    )


def publish_home(services: Services, user_id: str) -> None:
    """views.publish the Home for `user_id`; a failure is logged (the Home is a convenience)."""
    view = render_home(home_data(services, user_id))
    try:
        services.client.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        logger.warning("views.publish for %s failed: %s", user_id, error.response.get("error"))
