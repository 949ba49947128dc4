"""Earlier checks: find what the desk (or a published fact-check) already checked."""
