"""Load the stand-in's fixtures for its own tests, whether or not tests/conftest.py lists them."""

from tests.slack.fixtures import *  # noqa: F403
