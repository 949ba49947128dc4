"""Tests of the desk in Slack: rendering, the /factcheck grammar, listeners through the stand-in."""
