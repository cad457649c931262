"""Plain-data messages between the grader and a student's process: JSON plus NumPy arrays in ``.npy`` format.

A message is ``{json header}{arrays}``, the whole framed by its length. Arrays stand in the JSON as
``{"__array__": i}`` and are read back with ``numpy.lib.format.read_array(..., allow_pickle=False)`` and a dtype check
(booleans, integers and floats only): nothing the student's process sends is ever unpickled or evaluated.

This module runs on both sides of the boundary, so it imports only the standard library and NumPy.
"""
import io
import json
import os
import struct

import numpy as np

MAX_FRAME = 64 << 20        # a reply larger than this is a protocol error, never allocated
PLAIN_KINDS = "biuf"        # bool, int, uint, float


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message (or closed the channel)."""


def encode(message):
    """The bytes of ``message``: JSON-able values and NumPy arrays, nested in dicts and lists."""
    blobs = []

    def plain(value):
        if isinstance(value, np.ndarray):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, value, allow_pickle=False)
            blobs.append(buffer.getvalue())
            return {"__array__": len(blobs) - 1}
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


def _read_npy(blob):
    """An array from ``.npy`` bytes, its header checked before any allocation: plain dtype, size matching the bytes."""
    buffer = io.BytesIO(blob)
    version = np.lib.format.read_magic(buffer)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read_header(buffer)
    if dtype.kind not in PLAIN_KINDS or dtype.fields is not None:
        raise ProtocolError(f"array of dtype {dtype} refused")
    count = int(np.prod(shape, dtype=object)) if shape else 1
    if min(shape, default=0) < 0 or count * dtype.itemsize != len(blob) - buffer.tell():
        raise ProtocolError("array size does not match its bytes")
    flat = np.frombuffer(blob, dtype=dtype, count=count, offset=buffer.tell())
    return flat.reshape(shape, order="F" if fortran_order else "C").copy()


def decode(data):
    """The message in ``data``; raises :class:`ProtocolError` for anything malformed or not plain."""
    try:
        n_header, n_blobs = struct.unpack_from("<II", data)
        at = 8 + n_header
        header = json.loads(data[8:at])
        arrays = []
        for _ in range(n_blobs):
            (size,) = struct.unpack_from("<Q", data, at)
            arrays.append(_read_npy(data[at + 8: at + 8 + size]))
            at += 8 + size
    except ProtocolError:
        raise
    except Exception as exc:  # struct/JSON/npy errors, RecursionError on absurd nesting: all mean "malformed"
        raise ProtocolError(f"malformed message ({type(exc).__name__})") from None

    def rebuild(value):
        if isinstance(value, dict):
            if set(value) == {"__array__"}:
                return arrays[value["__array__"]]
            return {k: rebuild(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rebuild(v) for v in value]
        return value

    try:
        return rebuild(header)
    except (IndexError, TypeError):
        raise ProtocolError("malformed message (array reference)") from None


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
