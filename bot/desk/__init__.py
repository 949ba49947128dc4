"""The desk's Slack-side services: intake of articles, ticket actions, live cards, the App Home."""

from bot.desk.cards import refresh_ticket_cards

__all__ = ["refresh_ticket_cards"]
