"""Just enough of the ONNX protobuf format to write a model for onnxruntime.

The `onnx` package would do this too, but importing it takes seconds and copies the 90 MB of
weights several times; these few messages are written straight to bytes. Field numbers are those
of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FLOAT = 1  # TensorProto.DataType
INT64 = 7
_DATA_TYPES = {np.dtype(np.float32): FLOAT, np.dtype(np.int64): INT64}
_ATTR_FLOAT, _ATTR_INT, _ATTR_INTS = 1, 2, 7  # AttributeProto.AttributeType


class Message:
    """A message's encoded pieces, kept apart until the end so the weights are copied only once."""

    def __init__(self, *pieces: bytes | memoryview | Message) -> None:
        self.pieces: list[bytes | memoryview] = []
        self.size = 0
        for piece in pieces:
            self.add(piece)

    def add(self, piece: bytes | memoryview | Message) -> Message:
        if isinstance(piece, Message):
            self.pieces += piece.pieces
            self.size += piece.size
        else:
            self.pieces.append(piece)
            self.size += piece.nbytes if isinstance(piece, memoryview) else len(piece)
        return self

    def field(self, number: int, inner: Message | bytes) -> Message:
        """Append `inner` as length-delimited field `number`."""
        size = inner.size if isinstance(inner, Message) else len(inner)
        return self.add(_varint(number << 3 | 2) + _varint(size)).add(inner)

    def encode(self) -> bytes:
        return b"".join(self.pieces)


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 as ten bytes of two's complement, as protobuf does
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _int(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _text(field: int, value: str) -> bytes:
    data = value.encode()
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _float(field: int, value: float) -> bytes:
    return _varint(field << 3 | 5) + struct.pack("<f", value)


def tensor(name: str, array: npt.NDArray[Any]) -> Message:
    """A TensorProto whose raw data is a view of the array (little-endian, as on x86 and ARM)."""
    data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    head = b"".join(_int(1, size) for size in array.shape)
    head += _int(2, _DATA_TYPES[array.dtype]) + _text(8, name)
    raw = data.data.cast("B")
    return Message(head, _varint(9 << 3 | 2) + _varint(raw.nbytes), raw)


def _attribute(name: str, value: float | int | Sequence[int]) -> bytes:
    if isinstance(value, float):
        return _text(1, name) + _float(2, value) + _int(20, _ATTR_FLOAT)
    if isinstance(value, int):
        return _text(1, name) + _int(3, value) + _int(20, _ATTR_INT)
    return _text(1, name) + b"".join(_int(8, item) for item in value) + _int(20, _ATTR_INTS)


def node(
    op: str, inputs: Sequence[str], output: str, **attributes: float | int | list[int]
) -> bytes:
    """A NodeProto with one output, named after it."""
    body = b"".join(_text(1, name) for name in inputs) + _text(2, output) + _text(3, output)
    body += _text(4, op)
    for key, value in attributes.items():
        encoded = _attribute(key, value)
        body += _varint(5 << 3 | 2) + _varint(len(encoded)) + encoded
    return body


def value_info(name: str, data_type: int, dims: Sequence[int | str]) -> bytes:
    """A ValueInfoProto for a tensor; a str dimension is symbolic (batch, tokens)."""
    shape = Message()
    for dim in dims:
        shape.field(1, _text(2, dim) if isinstance(dim, str) else _int(1, dim))
    tensor_type = Message(_int(1, data_type)).field(2, shape)
    return Message(_text(1, name)).field(2, Message().field(1, tensor_type)).encode()


def model(
    name: str,
    nodes: Iterable[bytes],
    initializers: Iterable[Message],
    inputs: Iterable[bytes],
    outputs: Iterable[bytes],
    *,
    opset: int = 17,
    ir_version: int = 8,
) -> bytes:
    """A ModelProto around one graph, importing the default operator set at `opset`."""
    graph = Message()
    for item in nodes:
        graph.field(1, item)
    graph.add(_text(2, name))
    for initializer in initializers:
        graph.field(5, initializer)
    for item in inputs:
        graph.field(11, item)
    for item in outputs:
        graph.field(12, item)
    opset_import = _text(1, "") + _int(2, opset)
    top = Message(_int(1, ir_version), _text(2, "factcheck-bot"))
    return top.field(7, graph).field(8, opset_import).encode()
