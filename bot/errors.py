"""The error tree: what a person is told versus what an operator reads in the log.

    Exception
     ├── UserError               shown to the person who acted (ephemeral in Slack, stderr in the CLI);
     │    │                      nothing changed. Subclasses carry the desk's refusals.
     │    ├── NotFound           "no ticket #999"
     │    ├── NotAllowed         the actor's role does not permit the action
     │    ├── Conflict           the ticket's state does not permit the action ("already claimed by ...")
     │    └── BadInput           the words or values given cannot be understood
     └── ConfigError             a setting is missing or malformed; the CLI exits 2 with its message

Anything else is a bug or an outage: it is logged with context (ids, never tokens) and the
person gets a short apology.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal a person can act on; ``str(error)`` is the message shown to them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """The thing named does not exist."""


class NotAllowed(UserError):
    """The actor's role does not permit this action."""


class Conflict(UserError):
    """The current state does not permit this action."""


class BadInput(UserError):
    """The input could not be understood; the message says the right form."""


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""
