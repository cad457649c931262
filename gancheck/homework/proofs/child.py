"""The limited child's two requests about proofs (registered in :mod:`gancheck.homework.formulas.worker`)::

    {"op": "proof", "text": "<the proof file>", "budget": 1.8}
        → {"proof": {"title", "student", "syntax", "assume", "define", "lines", "because", "steps",
          "hypotheses"}} or {"refused": "<one line>"}: the file read (every line parsed) and its structure
    {"op": "proof_step", "text": "<the proof file>", "step": 3, "budget": 1.8}
        → {"step": {"status", "symbolic", "counterexample", "notes"}}: one step decided (:func:`.step.decide`)

Each request carries the whole file and is answered on its own (the child keeps no state the answers depend on; a
read proof is cached, so a file's steps cost one reading), so a child killed after a timeout costs one step.
"""
from functools import lru_cache

from gancheck import GancheckError
from gancheck.homework.formulas.symbolic import Timeout, deadline

from . import step as deciding
from .proof import read


@lru_cache(maxsize=4)
def _read(text):
    return read(text)


def structure(proof):
    """The JSON-able fields of a read :class:`.proof.Proof` that the parent needs (all text, as written)."""
    def relation(r):
        return {"line": r.line, "left": r.left, "op": r.op, "right": r.right}

    f = proof.file
    return {"title": f.title, "student": f.student, "syntax": f.syntax, "assume": list(proof.scope.declared),
            "define": [list(d) for d in f.define], "lines": list(f.lines), "because": list(f.because),
            "steps": [{**relation(s.relation), "number": s.number, "chain": s.chain,
                       "premise": relation(s.premise) if s.premise else None} for s in proof.steps],
            "hypotheses": [relation(r) for r in proof.hypotheses]}


def proof_request(request):
    try:
        with deadline(request.get("budget")):
            return {"proof": structure(_read(request["text"]))}
    except GancheckError as exc:  # the file is not a usable proof: the message is for the user
        return {"refused": str(exc)}
    except RecursionError:
        return {"refused": "cannot read the proof: nested too deeply"}
    except Timeout:
        return {"refused": "the proof takes too long to read"}


def step_request(request):
    budget = request.get("budget")
    try:
        with deadline(budget):
            proof = _read(request["text"])
    except (GancheckError, RecursionError, Timeout):
        return {"error": "the proof could not be read again"}
    number = request["step"]
    if not (isinstance(number, int) and 1 <= number <= len(proof.steps)):
        return {"error": "no such step"}
    return {"step": deciding.decide(proof, number, budget)}
