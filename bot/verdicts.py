"""The verdict scale: labels a checker may give, their order for ClaimReview, and parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.errors import BadInput

UNKNOWN_VERDICT = "{label!r} is not a verdict; use one of: {labels}"
# A rating this low or lower says the claim or quote is wrong (Misleading and below).
WRONG_AT_MOST = 2


@dataclass(frozen=True)
class Verdict:
    """One label; `rating` places it on the scale (None: not a truth rating, e.g. Unverifiable)."""

    label: str
    rating: int | None
    quotes_only: bool = False


@dataclass(frozen=True)
class VerdictScale:
    """An ordered scale; `best` and `worst` are the declared bounds of `rating`."""

    verdicts: tuple[Verdict, ...]
    best: int
    worst: int
    _by_key: dict[str, Verdict] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {_key(v.label): v for v in self.verdicts})

    def labels(self, kind: str = "quote") -> list[str]:
        """Labels allowed for a ticket of `kind` (`claim` or `quote`), in scale order."""
        return [v.label for v in self.verdicts if kind == "quote" or not v.quotes_only]

    def wrong_labels(self) -> list[str]:
        """Verdicts that say the claim or quote is wrong (rated 2 or lower): the digest lists them."""
        return [
            v.label for v in self.verdicts if v.rating is not None and v.rating <= WRONG_AT_MOST
        ]

    def ordered(self, counts: dict[str, int]) -> list[tuple[str, int]]:
        """(label, count) in the scale's order, labels off the scale last; zero counts left out."""
        ordered = [label for label in self.labels() if counts.get(label)]
        ordered += sorted(label for label in counts if label not in ordered and counts[label])
        return [(label, counts[label]) for label in ordered]

    def get(self, label: str) -> Verdict | None:
        return self._by_key.get(_key(label))

    def parse(self, label: str, *, kind: str = "quote") -> str:
        """The canonical label for `label` (any case, extra spaces); BadInput if not on the scale."""
        verdict = self.get(label)
        if verdict is None or (verdict.quotes_only and kind != "quote"):
            raise BadInput(
                UNKNOWN_VERDICT.format(label=label.strip(), labels=", ".join(self.labels(kind)))
            )
        return verdict.label

    def split_reason(self, reason: str, *, kind: str = "quote") -> tuple[str | None, str]:
        """Read "Misleading: the figure is from 2019" as (Misleading, the figure is from 2019).

        A reason that does not start with a label followed by ':' (or is only a label) gives
        (None, reason) or (label, "") respectively; the reason itself is never lost.
        """
        stripped = reason.strip()
        head, sep, tail = stripped.partition(":")
        candidate = self.get(head) if sep else self.get(stripped)
        if candidate is None or (candidate.quotes_only and kind != "quote"):
            return None, stripped
        return candidate.label, tail.strip() if sep else ""


def _key(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip()).casefold()


DEFAULT_SCALE = VerdictScale(
    verdicts=(
        Verdict("Accurate", 5),
        Verdict("Mostly accurate", 4),
        Verdict("Needs context", 3),
        Verdict("Misleading", 2),
        Verdict("Inaccurate", 1),
        Verdict("Unverifiable", None),
        Verdict("Misquoted", 1, quotes_only=True),
        Verdict("Misattributed", 1, quotes_only=True),
    ),
    best=5,
    worst=1,
)
