"""Tests of the extraction engine: quotes, speakers, claims, fetching, the CLI."""
