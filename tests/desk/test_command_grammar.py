"""The /factcheck parser: every subcommand, every bad input, and the help kept in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import command_grammar as g
from bot import user_input
from bot.errors import BadInput

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", g.Help()),
        ("help", g.Help()),
        ("HELP", g.Help()),
        ("frobnicate 12", g.Help(unknown="frobnicate")),
        ("claim 12", g.ClaimCmd((12,))),
        ("claim #12 13,#14 12", g.ClaimCmd((12, 13, 14))),
        ("release #7", g.ReleaseCmd(7)),
        ("verify 12 https://a.example/x", g.VerifyCmd(12, "https://a.example/x", None)),
        (
            "verify #12 <https://a.example/x|a.example/x>  matches the  table",
            g.VerifyCmd(12, "https://a.example/x", "matches the  table"),
        ),
        (
            "verify 12 https://a.example/x published=<https://news.example/fc/12> as in the table",
            g.VerifyCmd(12, "https://a.example/x", "as in the table", "https://news.example/fc/12"),
        ),
        (
            "flag 12 Misleading: the figure is from 2019",
            g.FlagCmd(12, "Misleading: the figure is from 2019"),
        ),
        ("dismiss 12", g.DismissCmd(12, None)),
        ("dismiss 12 opinion", g.DismissCmd(12, "opinion")),
        ("mine", g.MineCmd()),
        ("queue", g.QueueCmd()),
        ("show #3", g.ShowCmd(3)),
        ("assign 12 <@U123ABC|maria>", g.AssignCmd(12, "U123ABC")),
        ("assign #12 <@U123ABC>", g.AssignCmd(12, "U123ABC")),
        ("reopen 4", g.ReopenCmd(4)),
        ("digest", g.DigestCmd()),
        ("roster list", g.RosterCmd("list")),
        ("roster add <@U1AB|x>", g.RosterCmd("add", "U1AB", "checker")),
        ("roster add <@U1AB|x> Editor", g.RosterCmd("add", "U1AB", "editor")),
        ("roster remove <@U1AB>", g.RosterCmd("remove", "U1AB")),
        (
            "ingest https://news.example.com/a",
            g.IngestCmd("https://news.example.com/a", "https://news.example.com/a"),
        ),
        (
            "ingest <https://news.example.com/a>",
            g.IngestCmd("<https://news.example.com/a>", "https://news.example.com/a"),
        ),
        ("ingest The minister said 40% more.", g.IngestCmd("The minister said 40% more.", None)),
    ],
)
def test_parses(text: str, expected: g.Command) -> None:
    assert g.parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("claim", g.MISSING_TICKET_ID),
        ("claim twelve", user_input.NOT_A_TICKET_ID.format(word="twelve")),
        ("claim #0", user_input.NOT_A_TICKET_ID.format(word="#0")),
        ("release", g.MISSING_TICKET_ID),
        ("release 1 2", g.TOO_MANY_ARGUMENTS.format(name="release")),
        ("show x", user_input.NOT_A_TICKET_ID.format(word="x")),
        ("reopen", g.MISSING_TICKET_ID),
        ("verify", g.MISSING_TICKET_ID),
        ("verify 12", g.MISSING_URL),
        ("verify 12 www.example.com", user_input.NOT_A_URL.format(word="www.example.com")),
        ("verify 12 ftp://x.example", user_input.NOT_A_URL.format(word="ftp://x.example")),
        ("flag", g.MISSING_TICKET_ID),
        ("flag 12", g.MISSING_REASON),
        ("dismiss", g.MISSING_TICKET_ID),
        ("assign", g.MISSING_TICKET_ID),
        ("assign 12", g.MISSING_USER),
        ("assign 12 maria", user_input.NOT_A_USER.format(word="maria")),
        ("assign 12 <@U1AB> <@U2CD>", g.TOO_MANY_ARGUMENTS.format(name="assign")),
        ("mine please", g.EXTRA_WORDS.format(name="mine")),
        ("roster", g.BAD_ROSTER_ACTION),
        ("roster promote <@U1AB>", g.BAD_ROSTER_ACTION),
        ("roster add", g.MISSING_ROSTER_USER.format(action="add")),
        ("roster add <@U1AB> boss", user_input.NOT_A_ROLE.format(word="boss")),
        ("roster remove <@U1AB> editor", g.ROSTER_ONE_PERSON.format(action="remove")),
        ("ingest", g.MISSING_INGEST),
    ],
)
def test_bad_input_names_the_problem_and_the_right_form(text: str, problem: str) -> None:
    with pytest.raises(BadInput) as caught:
        g.parse_command(text)
    message = caught.value.message
    name = text.split()[0]
    sub = next(s for s in g.SUBCOMMANDS if s.name == name)
    assert message.startswith(problem)
    assert f"`/factcheck {sub.usage}`" in message
    assert f"`/factcheck {sub.example}`" in message


def test_help_lists_every_subcommand_with_an_example_that_parses() -> None:
    lines = g.help_lines()
    assert len(lines) == len(g.SUBCOMMANDS)
    for sub, line in zip(g.SUBCOMMANDS, lines, strict=True):
        assert f"`{sub.usage}`" in line
        assert f"`/factcheck {sub.example}`" in line
        # What people type as @maria reaches us escaped, as Slack sends it.
        parsed = g.parse_command(sub.example.replace("@maria", "<@U0MARIA|maria>"))
        assert not isinstance(parsed, g.Help) or sub.name == "help"


def test_every_parser_branch_is_in_the_help() -> None:
    # A subcommand the parser knows but the table lacks would come back as Help(unknown=...).
    for name in (
        "help",
        "claim",
        "release",
        "verify",
        "flag",
        "dismiss",
        "mine",
        "queue",
        "show",
        "assign",
        "reopen",
        "digest",
        "roster",
        "ingest",
    ):
        assert name in g.SUBCOMMAND_NAMES


def test_readme_lists_the_same_commands() -> None:
    # README's table escapes the pipes of `add|remove|list` for Markdown.
    text = README.read_text(encoding="utf-8").replace("\\|", "|")
    listed = set(re.findall(r"`/factcheck ([a-z]+)", text))
    assert listed == set(g.SUBCOMMAND_NAMES)
    for sub in g.SUBCOMMANDS:
        assert f"/factcheck {sub.usage}" in text, sub.usage
