"""Failures from outside: the database link cut under a running bot."""
