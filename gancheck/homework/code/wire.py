"""Plain-data messages between the grader and a student's process: JSON plus NumPy arrays as raw bytes.

A message is ``{json header}{arrays}``, the whole framed by its length. Arrays stand in the JSON as
``{"__array__": i, "dtype": "<f8", "shape": [2, 3]}`` and their bytes follow, C-ordered. Reading one back checks the
dtype against a pattern of plain kinds (booleans, integers and floats of 1–8 bytes: no objects, no structures, no
strings) and the shape against the byte count before NumPy sees either: nothing the student's process sends is ever
unpickled or evaluated. (``.npy`` would do the same, but parsing its header with ``ast.literal_eval`` cost ~0.2 ms an
array — a grade sends tens of thousands.)

This module runs on both sides of the boundary, so it imports only the standard library and NumPy.
"""
import json
import os
import re
import struct

import numpy as np

MAX_FRAME = 64 << 20        # a reply larger than this is a protocol error, never allocated
PLAIN_KINDS = "biuf"        # bool, int, uint, float
DTYPE = re.compile(r"[<>|=]?(b1|[iu][1248]|f[248])")
MAX_DIMS = 32


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message (or closed the channel)."""


def encode(message):
    """The bytes of ``message``: JSON-able values and NumPy arrays, nested in dicts and lists."""
    blobs = []

    def plain(value):
        if isinstance(value, np.ndarray):
            value = value if value.flags.c_contiguous else value.copy(order="C")   # (ascontiguousarray: ndim ≥ 1)
            blobs.append(value.tobytes())
            return {"__array__": len(blobs) - 1, "dtype": value.dtype.str, "shape": list(value.shape)}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    header = json.dumps(plain(message)).encode()
    parts = [struct.pack("<II", len(header), len(blobs)), header]
    for blob in blobs:
        parts += [struct.pack("<Q", len(blob)), blob]
    return b"".join(parts)


def _array(reference, blobs):
    """The array a ``{"__array__", "dtype", "shape"}`` reference stands for, checked before anything is allocated."""
    index, dtype, shape = reference["__array__"], reference["dtype"], reference["shape"]
    if not (isinstance(dtype, str) and DTYPE.fullmatch(dtype)):
        raise ProtocolError(f"array of dtype {str(dtype)[:20]!r} refused")
    if not (isinstance(shape, list) and len(shape) <= MAX_DIMS
            and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)):
        raise ProtocolError("malformed message (array shape)")
    if not (isinstance(index, int) and 0 <= index < len(blobs)):
        raise ProtocolError("malformed message (array reference)")
    dtype, blob, count = np.dtype(dtype), blobs[index], 1
    for d in shape:
        count *= d
    if count * dtype.itemsize != len(blob):
        raise ProtocolError("array size does not match its bytes")
    return np.frombuffer(blob, dtype=dtype, count=count).reshape(shape).copy()


def decode(data):
    """The message in ``data``; raises :class:`ProtocolError` for anything malformed or not plain."""
    try:
        n_header, n_blobs = struct.unpack_from("<II", data)
        at = 8 + n_header
        header = json.loads(data[8:at])
        blobs = []
        for _ in range(n_blobs):
            (size,) = struct.unpack_from("<Q", data, at)
            if at + 8 + size > len(data):
                raise ProtocolError("malformed message (truncated)")
            blobs.append(data[at + 8: at + 8 + size])
            at += 8 + size
    except ProtocolError:
        raise
    except Exception as exc:  # struct/JSON errors, RecursionError on absurd nesting: all mean "malformed"
        raise ProtocolError(f"malformed message ({type(exc).__name__})") from None

    def rebuild(value):
        if isinstance(value, dict):
            if set(value) == {"__array__", "dtype", "shape"}:
                return _array(value, blobs)
            return {k: rebuild(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rebuild(v) for v in value]
        return value

    try:
        return rebuild(header)
    except RecursionError:
        raise ProtocolError("malformed message (RecursionError)") from None


def send(fd, message):
    data = encode(message)
    frame = struct.pack("<Q", len(data)) + data
    view = memoryview(frame)
    while view:
        view = view[os.write(fd, view):]


def read_exactly(fd, n, wait=None):
    """``n`` bytes from ``fd``; ``wait()`` (if given) blocks until the fd is readable or raises on timeout."""
    chunks, got = [], 0
    while got < n:
        if wait is not None:
            wait()
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise ProtocolError("channel closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def receive(fd, wait=None):
    (size,) = struct.unpack("<Q", read_exactly(fd, 8, wait))
    if size > MAX_FRAME:
        raise ProtocolError(f"message of {size} bytes refused (limit {MAX_FRAME})")
    return decode(read_exactly(fd, size, wait))
