r"""A proof's lines as steps. A line is a chain of expressions joined by *relations* at the top level (outside
brackets): ``=``, ``<=``/``≤``/``\le``, ``>=``/``≥``/``\ge``, ``<``, ``>``, and ``=>``/``⇒``/``\implies``. Its steps:

* ``e₁ = e₂ ≤ e₃`` — each adjacent pair is a step, decided on its own: ``e₁ = e₂`` and ``e₂ ≤ e₃``;
* ``A = B ⇒ C = D`` — the relation just before ``⇒`` is a *hypothesis*: assumed, not checked (``a/D - b/(1 - D) =
  0`` is a condition, not an identity). The step is that it implies the relation after ``⇒``; every further
  relation of that chain is checked under the same hypothesis, and the last one before the next ``⇒`` becomes the
  next hypothesis;
* a line that starts with a relation continues the previous line: ``= e₄`` compares e₄ with the previous line's
  last expression, ``⇒ C`` takes the previous line's last relation as the hypothesis (so a condition may stand on a
  line of its own, followed by ``⇒`` on the next one);
* a line that starts with an expression starts a new *chain*: an error in one chain is carried forward only within
  it (follow-through).

Splitting is done on the raw text, before either parser runs, so each piece keeps its column for error messages.
"""
from dataclasses import dataclass

from gancheck import GancheckError

RELATIONS = ("=", "<=", ">=", "<", ">", "=>")
MAX_RELATIONS, MAX_STEPS = 24, 300   # per line, per proof
_COMMANDS = {"Longrightarrow": "=>", "Rightarrow": "=>", "implies": "=>", "leqslant": "<=", "geqslant": ">=",
             "leq": "<=", "geq": ">=", "le": "<=", "ge": ">=", "lt": "<", "gt": ">", "neq": "≠", "ne": "≠"}
_SYMBOLS = (("⟹", "=>"), ("⇒", "=>"), ("≤", "<="), ("≥", ">="), ("≠", "≠"), ("!=", "≠"), ("==", "="), ("=>", "=>"),
            ("<=", "<="), (">=", ">="), ("=", "="), ("<", "<"), (">", ">"))
SHOWN = {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">", "=>": "⇒"}


@dataclass(frozen=True)
class Relation:
    left: str            # the expressions' texts, as written
    op: str              # one of RELATIONS but "=>"
    right: str
    line: int            # the line it is stated on (its left side may end the line before)


@dataclass(frozen=True)
class Step:
    number: int
    relation: Relation
    premise: Relation | None   # the hypothesis the relation must follow from (an implication), or None
    chain: int


def split(text):
    """``[(kind, text, column)]``: ``("expr", "a/D", 1)``, ``("op", "=", 5)``, … at the top level of ``text``."""
    out, depth, start, i = [], 0, 0, 0

    def piece(end):
        chunk = text[start:end]
        if chunk.strip():
            out.append(("expr", chunk.strip(), start + len(chunk) - len(chunk.lstrip()) + 1))

    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        op, width = _relation_at(text, i) if depth == 0 else (None, 1)
        if op == "≠":
            raise GancheckError(f"column {i + 1}: ≠ is not a step (a proof states =, ≤, ≥, <, > or ⇒)")
        if op:
            piece(i)
            out.append(("op", op, i + 1))
            start = i + width
        i += width
    piece(len(text))
    return out


def _relation_at(text, i):
    if text[i] == "\\":
        j = i + 1
        while j < len(text) and text[j].isalpha():
            j += 1
        return _COMMANDS.get(text[i + 1:j]), max(j - i, 2)  # \{ and \} are one token, never a relation
    for symbol, op in _SYMBOLS:
        if text.startswith(symbol, i):
            return op, len(symbol)
    return None, 1


def structure(lines):
    """The steps and the hypotheses of ``lines`` (the texts of the proof's lines, in order), as :class:`Step` and
    :class:`Relation` objects; a line that is not a chain of relations is a one-line :class:`GancheckError`."""
    tokens = [split(text) for text in lines]
    steps, hypotheses, chain = [], [], 0
    last_expr = last_relation = hypothesis = None
    for number, items in enumerate(tokens, 1):
        where = f"line {number}"
        _check_shape(items, where)
        if sum(kind == "op" for kind, _, _ in items) > MAX_RELATIONS:
            raise GancheckError(f"{where} has more than {MAX_RELATIONS} relations: split it into several lines")
        continues = items[0][0] == "op"
        if continues and last_expr is None:
            raise GancheckError(f"{where} starts with {SHOWN.get(items[0][1])}: there is nothing before it to continue")
        if not continues:
            chain, hypothesis = chain + 1, None
        elif items[0][1] != "=>":
            items = [last_expr, *items]
        segments = _segments(items)
        after = tokens[number] if number < len(tokens) else []
        followed = bool(after) and after[0][:2] == ("op", "=>")  # the next line starts with ⇒
        for s, segment in enumerate(segments):
            relations = [Relation(a[1], op[1], b[1], number)
                         for a, op, b in zip(segment[0::2], segment[1::2], segment[2::2])]
            if s > 0:
                if not relations:
                    raise GancheckError(f"{where}: ⇒ joins relations (=, ≤, <, …), not a lone expression")
                if last_relation is None:
                    raise GancheckError(f"{where}: ⇒ needs a relation before it")
                hypothesis = last_relation
            posit = hypothesis is None and relations and (s < len(segments) - 1 or followed)
            for r in relations[:-1] if posit else relations:
                steps.append(Step(len(steps) + 1, r, hypothesis, chain))
            if posit:
                hypotheses.append(relations[-1])
            last_relation = relations[-1] if relations else last_relation
        last_expr = items[-1]
    if len(steps) > MAX_STEPS:
        raise GancheckError(f"the proof has more than {MAX_STEPS} steps")
    if not steps:
        raise GancheckError("the proof has no step to check (a step is a relation: e₁ = e₂, e₁ ≤ e₂, A ⇒ B)")
    return steps, hypotheses


def _check_shape(items, where):
    if not items:
        raise GancheckError(f"{where} is empty")
    for (kind, text, col), (after, _, _) in zip(items, items[1:] + [("end", "", 0)]):
        if kind == "op" and after != "expr":
            raise GancheckError(f"{where}, column {col}: {SHOWN[text]} needs an expression after it")
    if len(items) == 1:
        raise GancheckError(f"{where} has no relation (=, ≤, ≥, <, >, ⇒): a proof's line states something")


def _segments(items):
    """The items split at each ``⇒``: lists alternating expression, relation, expression, …"""
    out = [[]]
    for item in items:
        if item[0] == "op" and item[1] == "=>":
            out.append([])
        else:
            out[-1].append(item)
    return out
