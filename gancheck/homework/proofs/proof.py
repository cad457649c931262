"""A proof file read: its :class:`.assumptions.Scope`, its definitions, and its steps (:mod:`.lines`) with every
expression parsed by the formula checker's whitelisting parsers (:func:`gancheck.homework.formulas.judge.parse_answer`)
under the proof's own names and functions (:mod:`.functions`). Runs in the limited child; any line it cannot read
refuses the whole file with one line that names the line and the column.
"""
from dataclasses import dataclass, replace

from gancheck import GancheckError
from gancheck.homework.formulas.judge import parse_answer
from gancheck.homework.formulas.pysyntax import precheck
from gancheck.homework.formulas.vocabulary import STUDENT, Limits, ParseError

from . import functions, lines
from .assumptions import Scope, declare
from .fileformat import MAX_LINE, proof_from_text

_TYPOGRAPHY = str.maketrans({"−": "-", "·": "*", "×": "*"})  # a minus sign, a dot or a cross pasted from a page
_LINE = Limits(chars=MAX_LINE, depth=STUDENT.depth)  # a line holds several expressions, each within STUDENT


@dataclass(frozen=True)
class Proof:
    file: object          # the :class:`.fileformat.ProofFile`
    scope: Scope
    functions: dict
    steps: tuple          # :class:`.lines.Step`
    hypotheses: tuple     # :class:`.lines.Relation`
    parsed: dict          # (line, text) → SymPy expression

    def sides(self, relation):
        """The relation's two sides as SymPy expressions."""
        return self.parsed[relation.line, relation.left], self.parsed[relation.line, relation.right]


def read(text):
    """The :class:`Proof` in the proof file's ``text``; :class:`GancheckError` (one line) if it is not a proof."""
    file = proof_from_text(text)
    scope = Scope()
    for declaration in file.assume:
        declare(scope, declaration)
    table = functions.table(scope)
    for name, formula in file.define:
        _define(scope, table, name, formula, file.syntax)
    texts = [line.translate(_TYPOGRAPHY) for line in file.lines]
    for number, text in enumerate(texts, 1):  # characters and brackets, before the line is split at its relations
        try:
            precheck(text, _LINE)
        except ParseError as exc:
            raise _located(f"line {number}", exc.column, exc) from None
    steps, hypotheses = lines.structure(texts)
    parsed = {}
    for relation in [s.relation for s in steps] + [s.premise for s in steps if s.premise] + list(hypotheses):
        for side in (relation.left, relation.right):
            key = (relation.line, side)
            if key not in parsed:
                parsed[key] = _parse(scope, table, side, file.syntax, _where(texts, relation.line, side))
    return Proof(file, scope, table, _linked(steps, parsed), tuple(hypotheses), parsed)


def _linked(steps, parsed):
    """The steps with each chain that starts from an expression an earlier chain reached (its first left side, or
    its hypothesis' sides: ``a/D + b/(1 - D) = 0 ⇒ …`` after a line ending in ``a/D + b/(1 - D)``) joined to that
    chain, so a wrong step's consequences are carried forward across lines (numbers, such as 0, link nothing)."""
    seen, renamed, out = {}, {}, []
    for s in steps:
        sides = [parsed[s.relation.line, s.relation.left], parsed[s.relation.line, s.relation.right]]
        if s.premise:
            sides += [parsed[s.premise.line, s.premise.left], parsed[s.premise.line, s.premise.right]]
        if s.chain not in renamed:
            starts = [sides[0], *sides[2:]]
            renamed[s.chain] = next((seen[e] for e in starts if not e.is_number and seen.get(e, s.chain) != s.chain),
                                    s.chain)
        chain = renamed[s.chain]
        for e in sides:
            seen.setdefault(e, chain)
        out.append(replace(s, chain=chain))
    return tuple(out)


def _where(texts, line, side):
    """Where ``side`` is written: its own line, or (the left side of a continued line) one of the lines above."""
    for number in range(line, 0, -1):
        if side in texts[number - 1]:
            return f"line {number}", texts[number - 1].index(side)
    return f"line {line}", 0


def _define(scope, table, name, formula, syntax):
    if not isinstance(name, str) or not name.isidentifier() or name in scope.names or name in table:
        raise GancheckError(f"[define]: {str(name)[:40]!r} cannot be defined (a new name, not a function)")
    base, _, index = name.rpartition("_")
    indices = {i.name: i for i in scope.placeholders}
    indexed = bool(base) and index in indices
    expr = _parse(scope, table, formula.translate(_TYPOGRAPHY), syntax, (f"[define] {name}", 0), indexed)
    scope.names[name] = expr
    if indexed:  # m_i = (p_i + q_i)/2 also defines m_j, and m_1 … m_n
        mine = scope.placeholders[indices[index]]
        for other, placeholders in scope.placeholders.items():
            scope.names.setdefault(f"{base}_{other.name}", expr.xreplace(dict(zip(mine, placeholders))))
        for k in range(scope.points):
            scope.names.setdefault(f"{base}_{k + 1}", expr.xreplace({p: points[k] for p, points in mine.items()}))


def _parse(scope, table, text, syntax, where, indexed=False):
    label, offset = where
    try:
        expr = parse_answer(text, scope.names, syntax, functions=table)
    except ParseError as exc:
        raise _located(label, exc.column + offset, exc) from None
    loose = {s.name for s in expr.free_symbols if s in scope.distributions or (not indexed and _placeholder(scope, s))}
    if loose:
        name = sorted(loose)[0]
        what = "a distribution: write KL(p, q), H(p) or its points inside sum(…, i)" if "_" not in name else \
            "meaningful only inside sum(…, i) or sum(…, j)"
        raise GancheckError(f"{label}: {name} is {what}")
    if any(s in scope.placeholders for s in expr.free_symbols):
        raise GancheckError(f"{label}: an index (i, j) appears outside the sum over it")
    return expr


def _located(label, column, exc):
    """The parser's error with its place in the proof file: ``line 3, column 14: unknown name 'c'``."""
    return GancheckError(f"{label}, column {column}: {str(exc).rsplit(' at column', 1)[0]}")


def _placeholder(scope, s):
    return any(s in placeholders for placeholders in scope.placeholders.values())
