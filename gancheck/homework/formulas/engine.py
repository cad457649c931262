r"""Verdicts for one formula (:func:`check_formula`) or a whole answer sheet (:func:`check_sheet`).

An answer :math:`A` may use earlier quantities (``z_bar*h``). It is judged twice over:

* **absolutely** — every earlier quantity replaced by its *true* expansion, compared with the reference
  (:func:`.decide.compare`): equivalent, not equivalent (with a counterexample and a :mod:`.diagnose`\ d mistake),
  or undecided;
* **follow-through** — when it is not equivalent and an earlier step of the same chain was wrong: every earlier
  quantity replaced by the student's *own* expansion, compared with the reference's local form under the same
  replacement. Equal means the step is right given the student's own earlier mistake; the sheet's rules say how
  much that earns (``rules.follow_through``, a fraction of the step's points).

For the generator's step under the non-saturating loss (BCE with targets :math:`t = 1`), D's part that the sheet does
not answer (``G.D.z_bar`` …) is the student's own D step with :math:`t = 1`, so an error in ``D.z_bar`` is
followed through into ``G.y_bar`` and beyond.
"""
from dataclasses import dataclass, field

from . import catalogue, decide
from .diagnose import diagnose
from .latex import parse_latex
from .pysyntax import parse_python
from .sandbox import shared
from .sheet import Sheet
from .vocabulary import ParseError

INVALID = "invalid"


@dataclass
class Verdict:
    quantity: str
    answer: str
    status: str                       # equivalent / not equivalent / undecided / invalid
    points: float = 1.0
    credit: float = 0.0
    follow_through: bool = False
    diagnosis: list = field(default_factory=list)
    counterexample: dict | None = None
    notes: list = field(default_factory=list)
    symbolic: str = ""                # how the symbolic side ended ("proved", "not proved", "timeout", …)
    reference: str = ""               # the reference's local form, in the names an answer uses


@dataclass
class SheetResult:
    sheet: Sheet
    verdicts: list

    @property
    def score(self):
        return sum(v.credit for v in self.verdicts)

    @property
    def total(self):
        return sum(v.points for v in self.verdicts)

    @property
    def all_correct(self):
        return all(v.status == decide.EQUIVALENT for v in self.verdicts)


def parse_answer(text, names, syntax="auto"):
    """Parse with the chosen syntax. ``auto``: LaTeX when the text has a backslash or braces; otherwise Python
    syntax, falling back to LaTeX only if Python syntax cannot read it (``2N``, ``(y-t)h``)."""
    if syntax == "latex" or (syntax == "auto" and any(c in text for c in "\\{}")):
        return parse_latex(text, names)
    try:
        return parse_python(text, names)
    except ParseError as python_error:
        if syntax == "python" or not str(python_error).startswith("syntax error"):
            raise
        try:
            return parse_latex(text, names)
        except ParseError:
            raise python_error from None


def check_formula(quantity, text, *, loss="nonsaturating", syntax="auto", sandbox=None):
    """:class:`Verdict` for one formula. An unknown quantity or an unreadable formula raises a
    :class:`gancheck.GancheckError` (:class:`.ParseError` gives the column)."""
    e = catalogue.entry(quantity)
    expr = parse_answer(text, catalogue.names(quantity, loss), syntax)
    return _judge(e, text, expr, loss, {}, {}, (sandbox or shared()).start(), 1.0, 1.0)[0]


def check_sheet(sheet, sandbox=None):
    """:class:`SheetResult` for a :class:`.sheet.Sheet`: answers judged in the catalogue's order, an unreadable
    answer becoming an ``invalid`` verdict with the parser's message.

    Along each chain the student's *own* expansion of every quantity is kept — their answer, or for a quantity they
    did not answer (or wrote unreadably) the reference's local form applied to their own earlier values — with the
    wrong answers it inherits from (``wrong``: symbol → names of the steps where the error was made)."""
    sandbox = (sandbox or shared()).start()
    verdicts, own, wrong = [], {}, {}
    for e in catalogue.entries().values():
        if e.chain == "G" and "G" not in own:
            own["G"], wrong["G"] = _carried(own.get("D", {}), wrong.get("D", {}), sheet.loss)
        chain_own, chain_wrong = own.setdefault(e.chain, {}), wrong.setdefault(e.chain, {})
        ref = catalogue.reference(e.name, sheet.loss)
        mine, roots = None, set()
        if e.name in sheet.answers:
            text, points = sheet.answers[e.name], sheet.points_of(e.name)
            try:
                expr = parse_answer(text, catalogue.names(e.name, sheet.loss), sheet.syntax)
            except ParseError as exc:
                verdicts.append(Verdict(e.name, text, INVALID, points, notes=[str(exc)]))
            else:
                verdict, mine, roots = _judge(e, text, expr, sheet.loss, chain_own, chain_wrong, sandbox,
                                              sheet.follow_through, points)
                verdicts.append(verdict)
        if ref.symbol is None or (mine is None and ref.symbol in chain_own):  # stand-alone, or carried from D
            continue
        if mine is None:
            mine = ref.local.xreplace({**ref.true, **chain_own})
            roots = _inherited(ref.depends_on, chain_wrong)
        chain_own[ref.symbol] = mine
        if roots:
            chain_wrong[ref.symbol] = roots
    return SheetResult(sheet, verdicts)


def _inherited(symbols, wrong):
    """Names of the wrong steps that the quantities ``symbols`` inherit an error from."""
    return set().union(*(wrong.get(s, set()) for s in symbols))


def _carried(own_d, wrong_d, loss):
    """The student's own expansions of D's part of the generator step, from their D step with t = 1, when the
    loss is the non-saturating one (BCE with targets 1); for minimax there is no such relation."""
    if loss != "nonsaturating":
        return {}, {}
    t = catalogue.forward("D")["t"]
    shared_symbols = {catalogue.reference(name, loss).symbol for name in catalogue.entries() if name.startswith("G.D.")}
    own = {s: value.xreplace({t: 1}) for s, value in own_d.items() if s in shared_symbols}
    return own, {s: roots for s, roots in wrong_d.items() if s in shared_symbols}


def _judge(e, text, expr, loss, own, wrong, sandbox, follow_credit, points):
    """(:class:`Verdict`, the student's own expansion of this quantity, the wrong steps that expansion inherits
    from — this one included if it is wrong without follow-through)."""
    ref = catalogue.reference(e.name, loss)
    domain = catalogue.domain(e.net)
    mine_subs = {**ref.true, **own}
    mine = expr.xreplace(mine_subs)
    d = decide.compare(expr.xreplace(ref.true), ref.expanded, domain, sandbox, decide.seed(e.name))
    verdict = Verdict(e.name, text, d.status, points, counterexample=d.counterexample, notes=list(d.notes),
                      symbolic=d.symbolic, reference=catalogue.show(e, ref.local, loss))
    used = _inherited(expr.free_symbols, wrong)
    earlier = used | _inherited(ref.depends_on, wrong)
    if d.status == decide.EQUIVALENT:
        verdict.credit = points
        return verdict, mine, used
    if d.status == decide.DIFFERENT and earlier:
        followed = decide.compare(mine, ref.local.xreplace(mine_subs), domain, sandbox, decide.seed(e.name))
        if followed.status == decide.EQUIVALENT:
            verdict.follow_through, verdict.credit = True, follow_credit * points
            steps = ", ".join(sorted(earlier))
            verdict.notes.append(f"follow-through: right given your own earlier answer(s) for {steps}")
            return verdict, mine, earlier
    if d.status == decide.DIFFERENT:
        verdict.diagnosis = diagnose(d, e, loss, domain)
    return verdict, mine, used | {e.name}
