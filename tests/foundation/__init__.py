"""Tests of the foundation: settings, the CLI frame, the manifest, logging."""
