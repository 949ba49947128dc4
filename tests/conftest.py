"""Suite-wide fixtures: databases on both engines (tests.db) and the local Slack (tests.slack).

The suite runs the rules claim scorer unless a test asks for another (FACTCHECK_EXTRACTOR is
the product's `auto` otherwise): claim expectations elsewhere then do not move with the model,
and tests/extract/test_semantic.py covers the semantic scorer and the auto choice.
"""

import os

os.environ.setdefault("FACTCHECK_EXTRACTOR", "rules")

pytest_plugins = ["tests.db", "tests.slack.fixtures"]
