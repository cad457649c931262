r"""The verdict on one answer, decided where untrusted text may be read: in the limited child (:mod:`.worker`) for
the command line, in the reader's own browser for the site (:mod:`.browser`) — the same code in both.

An answer :math:`A` may use earlier quantities (``z_bar*h``). It is judged twice over:

* **absolutely** — every earlier quantity replaced by its *true* expansion, compared with the reference
  (:func:`.decide.compare`): equivalent, not equivalent (with a counterexample and a :mod:`.diagnose`\ d mistake),
  or undecided;
* **follow-through** — when it is not equivalent and an earlier step of the same chain was wrong: every earlier
  quantity replaced by the student's *own* expansion, compared with the reference's local form under the same
  replacement. Equal means the step is right given the student's own earlier mistake.

A sheet's earlier answers arrive with the request as text, each with its outcome (:data:`.verdict.RIGHT`, …), and
their expansions are rebuilt here (:class:`.chain.Chain`): the child keeps no state between requests, so a child
killed after a timeout costs one verdict, never the rest of the sheet.
"""
from functools import lru_cache

from . import decide, references, symbolic
from .catalogue import UnknownQuantity, entries, entry
from .chain import Chain, inherited
from .diagnose import diagnose
from .latex import parse_latex
from .pysyntax import parse_python
from .verdict import DIFFERENT, EQUIVALENT, INVALID, UNDECIDED
from .vocabulary import FUNCTIONS, ParseError


def parse_answer(text, names, syntax="auto", functions=FUNCTIONS):
    """Parse with the chosen syntax. ``auto``: LaTeX when the text has a backslash or braces; otherwise Python
    syntax, falling back to LaTeX only if Python syntax cannot read it (``2N``, ``(y-t)h``)."""
    if syntax == "latex" or (syntax == "auto" and any(c in text for c in "\\{}")):
        return parse_latex(text, names, functions=functions)
    try:
        return parse_python(text, names, functions=functions)
    except ParseError as python_error:
        if syntax == "python" or not str(python_error).startswith("syntax error"):
            raise
        try:
            return parse_latex(text, names, functions=functions)
        except ParseError:
            raise python_error from None


@lru_cache(maxsize=512)
def parsed(quantity, text, loss, syntax):
    """The answer ``text`` to ``quantity`` as SymPy, or the :class:`.ParseError` (cached: a sheet's earlier answers
    are read again for every later one)."""
    try:
        return parse_answer(text, references.names(quantity, loss), syntax)
    except ParseError as exc:
        return exc


def judge(quantity, text, *, loss="nonsaturating", syntax="auto", earlier=(), prove=symbolic.difference, budget=None):
    """The verdict's fields (JSON-able: status, follow_through, diagnosis, counterexample, notes, symbolic,
    reference) for the answer ``text`` to ``quantity``, after the sheet's ``earlier`` answers (``(name, text,
    outcome)``, in the catalogue's order). ``budget``: seconds of wall time before the verdict is "undecided"."""
    try:
        e = entry(quantity)
    except UnknownQuantity as exc:
        return _fields(INVALID, notes=[str(exc)])
    expr = parsed(quantity, text, loss, syntax)
    if isinstance(expr, ParseError):
        return _fields(INVALID, notes=[str(expr)])
    try:
        with symbolic.deadline(budget):
            chain = replay(earlier, e, loss, syntax)
            return _judge(e, expr, loss, chain, prove)
    except symbolic.Timeout:
        return _fields(UNDECIDED, symbolic="timeout", notes=[f"the check ran out of time ({budget:g} s)"],
                       reference=references.show(e, references.reference(e.name, loss).local, loss))


def replay(earlier, upto, loss, syntax):
    """The :class:`.chain.Chain` of the student's own expansions before the entry ``upto``."""
    given = {name: (text, outcome) for name, text, outcome in earlier}
    chain = Chain(loss)
    for e in entries().values():
        if e.name == upto.name:
            break
        text, outcome = given.get(e.name, (None, None))
        expr = None if text is None or outcome == INVALID else parsed(e.name, text, loss, syntax)
        chain.add(e, None if isinstance(expr, ParseError) else expr, outcome)
    return chain


def _fields(status, *, follow_through=False, diagnosis=(), counterexample=None, notes=(), symbolic="",
            reference=""):
    return {"status": status, "follow_through": follow_through, "diagnosis": list(diagnosis),
            "counterexample": counterexample, "notes": list(notes), "symbolic": symbolic, "reference": reference}


def _judge(e, expr, loss, chain, prove):
    ref = references.reference(e.name, loss)
    domain = references.entry_domain(e)
    own, wrong = chain.context(e)
    raw = expr.xreplace(ref.true)
    d = decide.compare(raw, ref.expanded, domain, decide.seed(e.name), prove)
    fields = _fields(d.status, counterexample=d.counterexample, notes=d.notes, symbolic=d.symbolic,
                     reference=references.show(e, ref.local, loss))
    if d.status != DIFFERENT:
        return fields
    earlier = inherited(expr.free_symbols, wrong) | inherited(ref.depends_on, wrong)
    if earlier:
        mine = {**ref.true, **own}
        followed = decide.compare(expr.xreplace(mine), ref.local.xreplace(mine), domain, decide.seed(e.name), prove)
        if followed.status == EQUIVALENT:
            fields["follow_through"] = True
            fields["notes"].append(f"follow-through: right given your own earlier answer(s) for "
                                   f"{', '.join(sorted(earlier))}")
            return fields
    try:
        fields["diagnosis"] = diagnose(d, raw, e, loss, domain)
    except symbolic.Timeout:
        fields["notes"].append("no diagnosis: the check ran out of time")
    return fields

