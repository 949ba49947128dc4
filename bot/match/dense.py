"""Nearest neighbours by meaning: a team's stored embeddings, held in memory, topped up by id.

Wording finds most repeats; a paraphrase with few shared words is found by meaning alone, so
the matcher adds the few entries nearest in meaning to the full-text candidates. The matrix is
read from the database once per process and then only the rows added since (entries are never
edited), so a lookup is one matrix-vector product. numpy is imported only here, only with the
semantic extra.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlmodel import Session

from storage.matching import embeddings_after


class DenseIndex:
    """Embeddings of one team's (and the public) entries, in id order."""

    def __init__(self, team: str) -> None:
        import numpy as np

        self.team = team
        self.ids: Any = np.zeros(0, dtype=np.int64)
        # float32 in memory (stored as float16): one BLAS product per lookup, no conversion.
        self.matrix: Any = np.zeros((0, 0), dtype=np.float32)
        self.last_id = 0
        self._lock = threading.Lock()

    def refresh(self, session: Session) -> None:
        import numpy as np

        rows = embeddings_after(session, team=self.team, after_id=self.last_id)
        if not rows:
            return
        with self._lock:
            added = np.stack([np.frombuffer(data, dtype=np.float16) for _, data in rows]).astype(
                np.float32
            )
            ids = np.array([entry_id for entry_id, _ in rows], dtype=np.int64)
            self.matrix = added if self.matrix.size == 0 else np.vstack([self.matrix, added])
            self.ids = np.concatenate([self.ids, ids])
            self.last_id = int(ids.max())

    def nearest(self, query: Any, k: int) -> list[int]:
        """The ids of the `k` entries nearest in meaning to `query` (an L2-normalised row)."""
        import numpy as np

        with self._lock:
            if self.ids.size == 0:
                return []
            scores = self.matrix @ query
            k = min(k, scores.size)
            best = np.argpartition(-scores, k - 1)[:k]
            return [int(self.ids[i]) for i in best]
