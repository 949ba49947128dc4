"""Tests of earlier checks: the match index, intake matching, search and import."""
