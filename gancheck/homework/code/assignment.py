"""The assignment as data: functions, signatures, shapes, points, references and limits, read from TOML.

The built-in assignment is ``assignment.toml`` beside this module (:data:`BUILTIN`); an instructor copies it to define
another homework of the same kind. Everything is validated on loading — unknown references or roles, shapes that do
not fit together, points for checks a reference does not have — with a one-line :class:`gancheck.GancheckError`.
"""
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ... import GancheckError

BUILTIN = Path(__file__).with_name("assignment.toml")
LIMIT_FIELDS = {"call_seconds": float, "total_seconds": float, "cpu_seconds": int, "memory_mb": int,
                "output_kb": int, "examples": int}


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 3.0
    total_seconds: float = 90.0
    cpu_seconds: int = 60
    memory_mb: int = 512
    output_kb: int = 4
    examples: int = 30


@dataclass(frozen=True)
class Function:
    name: str
    signature: str
    reference: str
    params: tuple        # roles, in the student's order
    returns: tuple
    points: dict         # check name → points
    options: dict        # anything else of the table (e.g. ``target`` for real samples)
    hidden = frozenset()  # the course's format has no hidden items

    @property
    def max_points(self):
        return sum(self.points.values())

    def names(self):
        """role → the student's own name for it, read from the signature (``forward_dis(X, U, …) -> (y, z, H, G)``)."""
        match = re.fullmatch(r"\s*\w+\s*\(([^)]*)\)\s*(?:->\s*\(?([^)]*)\)?)?\s*", self.signature)
        names = {}
        if match:
            for roles, text in ((self.params, match[1]), (self.returns, match[2] or "")):
                words = [w.strip() for w in text.split(",")]
                if len(words) == len(roles) and all(re.fullmatch(r"\w+", w) for w in words):
                    names.update(zip(roles, words))
        return {role: names.get(role, role) for role in self.params + self.returns}


@dataclass(frozen=True)
class Assignment:
    title: str
    batch: tuple
    shapes: dict         # role → tuple of ints and "N"
    functions: tuple
    limits: Limits
    source: str
    # what the sandbox offers (format 2 declares these in [imports]): NumPy, SciPy and the standard library, and a
    # no-op matplotlib so that plotting code loads
    packages = ("numpy", "scipy")
    stubbed = ("matplotlib",)
    entry = None          # a multi-file submission's entry is found from its imports (:mod:`.folder`)
    tests = ()

    @property
    def max_points(self):
        return sum(f.max_points for f in self.functions)

    def shape(self, role, N):
        return tuple(N if d == "N" else d for d in self.shapes[role])

    def size(self, role, axis):
        """A fixed dimension of a role, e.g. ``size("G.U", 1)`` is the latent dimension."""
        return self.shapes[role][axis]


def load_assignment(path=None):
    """The :class:`Assignment` in the TOML file ``path`` (the built-in one when ``None``)."""
    path = Path(path) if path is not None else BUILTIN
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GancheckError(f"{path}: not valid TOML ({exc})") from None
    try:
        return _build(data, path)
    except GancheckError as exc:
        raise GancheckError(f"{path}: {exc}") from None
    except KeyError as exc:
        raise GancheckError(f"{path}: missing key {exc}") from None
    except (TypeError, ValueError) as exc:
        raise GancheckError(f"{path}: malformed assignment ({exc})") from None


def _build(data, path):
    from .checks import KINDS  # the checks know which roles and items each reference has

    head = data["assignment"]
    shapes = {role: tuple(d if d == "N" else int(d) for d in dims) for role, dims in data["shapes"].items()}
    unknown = set(data.get("limits", {})) - set(LIMIT_FIELDS)
    if unknown:
        raise GancheckError(f"unknown limit(s) {sorted(unknown)}; known: {sorted(LIMIT_FIELDS)}")
    limits = Limits(**{k: LIMIT_FIELDS[k](v) for k, v in data.get("limits", {}).items()})
    functions = []
    for table in data["functions"]:
        table = dict(table)
        function = Function(table.pop("name"), table.pop("signature"), table.pop("reference"),
                            tuple(table.pop("params")), tuple(table.pop("returns")),
                            {k: float(v) for k, v in table.pop("points").items()}, table)
        kind = KINDS.get(function.reference)
        if kind is None:
            raise GancheckError(f"{function.name}: unknown reference {function.reference!r}; known: {sorted(KINDS)}")
        kind.validate(function, shapes)
        functions.append(function)
    batch = tuple(int(n) for n in head.get("batch", (1, 64)))
    if len(batch) != 2 or not 1 <= batch[0] <= batch[1]:
        raise GancheckError(f"batch must be [smallest, largest] with 1 <= smallest <= largest, got {list(batch)}")
    _check_layers(shapes)
    return Assignment(head["title"], batch, shapes, tuple(functions), limits, str(path))


def _check_layers(shapes):
    """The layers must chain: x → U → W for each net, and the generator's output must be the discriminator's input."""
    sizes = {}
    for net in ("D", "G"):
        if f"{net}.U" not in shapes:
            continue
        hidden, n_in = shapes[f"{net}.U"]
        n_out = max(1, _size(shapes[f"{net}.W"]) // hidden)
        sizes[net] = (n_in, hidden, n_out)
        allowed = [(n_out, hidden)] + ([(hidden,)] if n_out == 1 else [])
        if shapes[f"{net}.W"] not in allowed:   # a transposed declaration would be read back with reshape: refuse it
            transposed = " is the transpose" if shapes[f"{net}.W"] == (hidden, n_out) else " does not fit"
            raise GancheckError(f"{net}.W {list(shapes[f'{net}.W'])}{transposed}: the layout is (n_out, n_in) = "
                                f"{list(allowed[0])}, as U is (hidden, n_in)")
        expected = {f"{net}.x": ("N", n_in), f"{net}.g": ("N", hidden), f"{net}.h": ("N", hidden),
                    f"{net}.b": (hidden,)}
        for role, shape in expected.items():
            if role in shapes and shapes[role] != shape:
                raise GancheckError(f"{role} has shape {list(shapes[role])}, but {net}.U {list(shapes[f'{net}.U'])} "
                                    f"makes it {list(shape)}")
        if _size(shapes[f"{net}.W"]) != hidden * n_out or _size(shapes[f"{net}.c"]) != n_out:
            raise GancheckError(f"{net}.W {list(shapes[f'{net}.W'])} and {net}.c {list(shapes[f'{net}.c'])} do not "
                                f"fit {hidden} hidden units")
    if "D" in sizes and sizes["D"][2] != 1:
        raise GancheckError("the discriminator must have one output (D.W of size D.U's first dimension)")
    if {"D", "G"} <= set(sizes) and sizes["G"][2] != sizes["D"][0]:
        raise GancheckError(f"the generator makes {sizes['G'][2]}-dimensional points, the discriminator takes "
                            f"{sizes['D'][0]}")


def _size(shape):
    size = 1
    for d in shape:
        size *= d
    return size
