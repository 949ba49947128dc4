"""The MiniLM (BERT) forward pass without torch: weights read from `model.safetensors` with numpy,
run either by numpy itself or by onnxruntime on a graph built here from the same arrays.

Both compute what sentence-transformers computes for all-MiniLM-L6-v2: token, position and
token-type embeddings, six post-norm transformer layers with exact (erf) GELU, then the mean of
the token vectors under the attention mask, scaled to unit length.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Weights = dict[str, npt.NDArray[np.float32]]
Batch = npt.NDArray[np.int64]
Vectors = npt.NDArray[np.float32]

LAYERS = 6
HEADS = 12
HIDDEN = 384
_HEAD_SIZE = HIDDEN // HEADS
_LAYER_NORM_EPS = 1e-12
_DTYPES = {"F32": np.float32}


class WeightsError(Exception):
    """The weights file cannot be read as the model this module runs."""


def read_safetensors(path: Path) -> Weights:
    """The float32 tensors of a safetensors file (8-byte header length, JSON header, raw data)."""
    data = path.read_bytes()
    if len(data) < 8:
        raise WeightsError(f"{path.name} is too short to be a safetensors file")
    (header_size,) = struct.unpack("<Q", data[:8])
    try:
        header: dict[str, Any] = json.loads(data[8 : 8 + header_size])
    except ValueError:
        raise WeightsError(f"{path.name} has no readable safetensors header") from None
    base = 8 + header_size
    tensors: Weights = {}
    for name, info in header.items():
        if name == "__metadata__" or info.get("dtype") not in _DTYPES:
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(
            data, dtype=_DTYPES[info["dtype"]], count=(end - start) // 4, offset=base + start
        )
        tensors[name] = array.reshape(info["shape"])
    missing = [name for name in _required_names() if name not in tensors]
    if missing:
        raise WeightsError(f"{path.name} lacks {missing[0]} (not a MiniLM-L6 BERT)")
    return tensors


def _required_names() -> list[str]:
    names = [
        "embeddings.word_embeddings.weight",
        "embeddings.position_embeddings.weight",
        "embeddings.token_type_embeddings.weight",
        "embeddings.LayerNorm.weight",
        "embeddings.LayerNorm.bias",
    ]
    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}."
        for part in (
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense",
            "intermediate.dense",
            "output.dense",
        ):
            names += [f"{prefix}{part}.weight", f"{prefix}{part}.bias"]
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            names += [f"{prefix}{norm}.weight", f"{prefix}{norm}.bias"]
    return names


# --- numpy -------------------------------------------------------------------------------------


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + _LAYER_NORM_EPS) * weight + bias  # type: ignore[no-any-return]


def _erf(x: Vectors) -> Vectors:
    """erf to about 1e-7 (Abramowitz & Stegun 7.1.26); numpy has no erf of its own."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)  # type: ignore[no-any-return]


class NumpyBert:
    """The forward pass in numpy: slower, but nothing beyond numpy, and easy to read."""

    def __init__(self, weights: Weights) -> None:
        self.w = weights
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]

    def _dense(self, x: Vectors, name: str) -> Vectors:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def __call__(self, ids: Batch, mask: Batch) -> Vectors:
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length] + self.token_type
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        blocked = ((1.0 - mask[:, None, None, :]) * np.float32(-1e4)).astype(np.float32)
        scale = np.float32(1.0 / math.sqrt(_HEAD_SIZE))
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def heads(t: Vectors) -> Vectors:
                return t.reshape(batch, length, HEADS, _HEAD_SIZE).transpose(0, 2, 1, 3)

            q = heads(self._dense(x, p + "attention.self.query"))
            k = heads(self._dense(x, p + "attention.self.key"))
            v = heads(self._dense(x, p + "attention.self.value"))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, HIDDEN)
            attended = self._dense(context, p + "attention.output.dense") + x
            x = _layer_norm(
                attended,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h * np.float32(1 / math.sqrt(2))))
            out = self._dense(h, p + "output.dense") + x
            x = _layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return mean_pool_normalise(x, mask)


def mean_pool_normalise(tokens: Vectors, mask: Batch) -> Vectors:
    """sentence-transformers' Pooling(mean) then Normalize: mask-weighted mean, unit length."""
    weight = mask[:, :, None].astype(np.float32)
    pooled = (tokens * weight).sum(axis=1) / np.maximum(weight.sum(axis=1), 1e-9)
    norm = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norm, 1e-12)).astype(np.float32)  # type: ignore[no-any-return]


# --- onnxruntime -------------------------------------------------------------------------------


def build_onnx(weights: Weights) -> bytes:
    """The same network as `NumpyBert`, as an ONNX model (opset 17) with the weights inside.

    Inputs `input_ids` and `attention_mask` (int64, batch x tokens); output `embedding`
    (float32, batch x 384, unit length). onnxruntime fuses its attention and GELU nodes itself.
    """
    from bot.extract.semantic import onnx_proto as proto

    nodes: list[bytes] = []
    inits: list[proto.Message] = []

    def const(name: str, value: npt.NDArray[Any]) -> str:
        inits.append(proto.tensor(name, value))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(proto.node(op, inputs, output, **attrs))
        return output

    def dense(x: str, name: str, out: str) -> str:
        weight = const(name + ".wT", np.ascontiguousarray(weights[name + ".weight"].T))
        bias = const(name + ".b", weights[name + ".bias"])
        return node("Add", [node("MatMul", [x, weight], out + ".mm"), bias], out)

    def norm(x: str, name: str, out: str) -> str:
        scale, bias = (
            const(name + ".g", weights[name + ".weight"]),
            const(name + ".b", weights[name + ".bias"]),
        )
        return node("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=_LAYER_NORM_EPS)

    i64 = np.int64
    const("zero", np.array(0, dtype=i64))
    const("one", np.array(1, dtype=i64))
    const("axis1", np.array([1], dtype=i64))
    const("split_heads", np.array([0, 0, HEADS, _HEAD_SIZE], dtype=i64))
    const("join_heads", np.array([0, 0, HIDDEN], dtype=i64))
    const("scale", np.array(1.0 / math.sqrt(_HEAD_SIZE), dtype=np.float32))
    const("blocked", np.array(-1e4, dtype=np.float32))
    const("f_one", np.array(1.0, dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("root_half", np.array(1 / math.sqrt(2), dtype=np.float32))
    const("tiny", np.array(1e-9, dtype=np.float32))
    const("tiny_norm", np.array(1e-12, dtype=np.float32))
    const("mask_axes", np.array([1, 2], dtype=i64))
    const("last_axis", np.array([2], dtype=i64))
    words = const("word_embeddings", weights["embeddings.word_embeddings.weight"])
    positions = const("position_embeddings", weights["embeddings.position_embeddings.weight"])
    token_type = const("token_type", weights["embeddings.token_type_embeddings.weight"][0])

    length = node("Gather", [node("Shape", ["input_ids"], "ids_shape"), "one"], "length", axis=0)
    position_ids = node("Range", ["zero", length, "one"], "position_ids")
    x = node("Gather", [words, "input_ids"], "word_vectors", axis=0)
    x = node(
        "Add", [x, node("Gather", [positions, position_ids], "position_vectors", axis=0)], "emb_pos"
    )
    x = norm(node("Add", [x, token_type], "emb_sum"), "embeddings.LayerNorm", "emb")
    mask_f = node("Cast", ["attention_mask"], "mask_f", to=proto.FLOAT)
    mask4 = node("Unsqueeze", [mask_f, "mask_axes"], "mask4")
    blocked = node("Mul", [node("Sub", ["f_one", mask4], "unmask"), "blocked"], "mask_bias")
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        q = dense(x, p + "attention.self.query", p + "q")
        k = dense(x, p + "attention.self.key", p + "k")
        v = dense(x, p + "attention.self.value", p + "v")
        q = node(
            "Transpose",
            [node("Reshape", [q, "split_heads"], p + "q4")],
            p + "qh",
            perm=[0, 2, 1, 3],
        )
        k = node(
            "Transpose",
            [node("Reshape", [k, "split_heads"], p + "k4")],
            p + "kh",
            perm=[0, 2, 3, 1],
        )
        v = node(
            "Transpose",
            [node("Reshape", [v, "split_heads"], p + "v4")],
            p + "vh",
            perm=[0, 2, 1, 3],
        )
        scores = node("Mul", [node("MatMul", [q, k], p + "qk"), "scale"], p + "scaled")
        probs = node(
            "Softmax", [node("Add", [scores, blocked], p + "masked")], p + "probs", axis=-1
        )
        context = node("MatMul", [probs, v], p + "context")
        context = node("Transpose", [context], p + "context_t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, "join_heads"], p + "context_j")
        attended = dense(context, p + "attention.output.dense", p + "attn_out")
        x = norm(
            node("Add", [attended, x], p + "attn_res"),
            p + "attention.output.LayerNorm",
            p + "attn_norm",
        )
        h = dense(x, p + "intermediate.dense", p + "inter")
        gelu = node("Erf", [node("Mul", [h, "root_half"], p + "inter_s")], p + "erf")
        gelu = node(
            "Mul",
            [node("Mul", [h, "half"], p + "inter_h"), node("Add", [gelu, "f_one"], p + "erf1")],
            p + "gelu",
        )
        out = dense(gelu, p + "output.dense", p + "out")
        x = norm(node("Add", [out, x], p + "out_res"), p + "output.LayerNorm", p + "layer_out")
    weight = node("Unsqueeze", [mask_f, "last_axis"], "pool_weight")
    summed = node(
        "ReduceSum", [node("Mul", [x, weight], "weighted"), "axis1"], "summed", keepdims=0
    )
    count = node(
        "Max", [node("ReduceSum", [weight, "axis1"], "count", keepdims=0), "tiny"], "count_safe"
    )
    pooled = node("Div", [summed, count], "pooled")
    length2 = node("ReduceL2", [pooled], "norm", axes=[1], keepdims=1)
    node("Div", [pooled, node("Max", [length2, "tiny_norm"], "norm_safe")], "embedding")

    return proto.model(
        "all-MiniLM-L6-v2",
        nodes,
        inits,
        [
            proto.value_info("input_ids", proto.INT64, ["batch", "tokens"]),
            proto.value_info("attention_mask", proto.INT64, ["batch", "tokens"]),
        ],
        [proto.value_info("embedding", proto.FLOAT, ["batch", HIDDEN])],
    )


class OnnxBert:
    """The forward pass in onnxruntime, on the graph `build_onnx` makes (several times numpy's speed)."""

    def __init__(self, weights: Weights, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # Threads sleep between batches instead of spinning: the bot's other threads need the CPU.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            build_onnx(weights), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, ids: Batch, mask: Batch) -> Vectors:
        (out,) = self.session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
        return np.asarray(out, dtype=np.float32)
