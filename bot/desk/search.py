"""`/factcheck search`: the desk's earlier checks of a claim, for the person who asked."""

from __future__ import annotations

from bot.render.blocks import SlackMessage
from bot.render.earlier import render_search
from bot.services import Services
from storage.db import session_scope
from storage.matching import describe

SEARCH_RESULTS = 5


def search_earlier(services: Services, *, team: str, text: str) -> SlackMessage:
    """The best earlier tickets of `team` (and imported fact-checks) for `text`; changes nothing."""
    with session_scope(services.engine) as session:
        [found] = services.matcher.find(session, team=team, texts=[text], top=SEARCH_RESULTS)
        results = describe(session, [(match.entry, match.score) for match in found])
    return render_search(text, results)
