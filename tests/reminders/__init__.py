"""Tests of the reminder sweep, escalation, nudges, the digest and the scheduler clock."""
