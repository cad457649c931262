"""The student's own expansions along the backprop chains, for follow-through (:mod:`.judge`).

Along each chain every quantity has the student's *own* expansion — their answer with their own earlier expansions
substituted, or for a quantity they did not answer (or wrote unreadably) the reference's local form applied to their
own earlier values — and the names of the wrong steps it inherits an error from.

For the generator's step under the non-saturating loss (BCE with targets :math:`t = 1`), D's part that the sheet does
not answer (``G.D.z_bar`` …) is the student's own D step with :math:`t = 1`, so an error in ``D.z_bar`` is followed
through into ``G.y_bar`` and beyond.
"""
from . import references
from .catalogue import entries
from .verdict import FOLLOWED, RIGHT


def inherited(symbols, wrong):
    """Names of the wrong steps that the quantities ``symbols`` inherit an error from."""
    return set().union(*(wrong.get(s, set()) for s in symbols))


class Chain:
    def __init__(self, loss):
        self.loss, self.own, self.wrong = loss, {}, {}

    def context(self, e):
        """(own expansions, inherited wrong steps) of ``e``'s chain — symbol → expansion, symbol → names."""
        if e.chain == "G" and "G" not in self.own:
            self.own["G"], self.wrong["G"] = self._carried()
        return self.own.setdefault(e.chain, {}), self.wrong.setdefault(e.chain, {})

    def add(self, e, expr, outcome):
        """Record the entry ``e``: the student's parsed answer ``expr`` (None if not answered or unreadable) and its
        verdict's ``outcome`` (:data:`.verdict.RIGHT`, ``FOLLOWED``, ``WRONG``)."""
        own, wrong = self.context(e)
        ref = references.reference(e.name, self.loss)
        mine, roots = None, set()
        if expr is not None:
            mine = expr.xreplace({**ref.true, **own})
            used = inherited(expr.free_symbols, wrong)
            roots = {RIGHT: used, FOLLOWED: used | inherited(ref.depends_on, wrong)}.get(outcome, used | {e.name})
        if ref.symbol is None or (mine is None and ref.symbol in own):  # stand-alone, or carried from D
            return
        if mine is None:
            mine = ref.local.xreplace({**ref.true, **own})
            roots = inherited(ref.depends_on, wrong)
        own[ref.symbol] = mine
        if roots:
            wrong[ref.symbol] = roots

    def _carried(self):
        """The student's own expansions of D's part of the generator step, from their D step with t = 1, when the
        loss is the non-saturating one (BCE with targets 1); for minimax there is no such relation."""
        if self.loss != "nonsaturating":
            return {}, {}
        own_d, wrong_d = self.own.get("D", {}), self.wrong.get("D", {})
        t = references.forward("D")["t"]
        shared = {references.reference(name, self.loss).symbol for name in entries() if name.startswith("G.D.")}
        return ({s: value.xreplace({t: 1}) for s, value in own_d.items() if s in shared},
                {s: roots for s, roots in wrong_d.items() if s in shared})
