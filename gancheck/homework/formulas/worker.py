"""The limited child process: reads, decides and diagnoses students' formulas, one JSON line at a time.

Started by :mod:`.sandbox` in a kernel sandbox whose limits are set *before* SymPy is imported; it answers requests
read from stdin with replies on stdout — plain JSON both ways. The formulas arrive as text printed by gancheck and
are re-read with the same whitelisting parser (larger size limits), never with ``sympify``/``eval``. Requests::

    {"op": "zero", "expr": "...", "kinds": {"g_D": "relu_input", ...}}
        → {"result": "zero" | "nonzero" | "unknown"}: is expr identically 0 on the domain?
          (:func:`.symbolic.is_zero`)
    {"op": "judge", "quantity": "D.W_bar", "text": "z_bar*h", "loss": "nonsaturating", "syntax": "auto",
     "earlier": [["D.z_bar", "(t - y)/N", "wrong"], ...], "budget": 2.4}
        → {"verdict": {"status", "follow_through", "diagnosis", "counterexample", "notes", "symbolic",
          "reference"}}: the whole verdict on one answer of a *student* (:func:`.judge.judge`) — parsed, decided,
          diagnosed here, within ``budget`` seconds; the parent checks every field (:func:`.verdict.from_reply`)
    {"op": "sheet", "text": "<the sheet file>", "form": "toml" | "yaml", "budget": 2.4}
        → {"sheet": {"answers": [[name, formula], ...], "syntax", "student", "loss"}} or {"refused": "<one line>"}
    {"op": "proof" | "proof_step", ...}: a proof file read, and one of its steps decided (:mod:`..proofs.child`)

The student's text reaches only ``judge``, ``sheet`` and the proofs'; ``zero`` reads gancheck's own printed
expressions.
"""
import json
import sys


def _symbols(kinds):
    from .vocabulary import symbol

    return {name: symbol(name, kind) for name, kind in kinds.items()}


def _parse(text, table):
    from .pysyntax import parse_python
    from .vocabulary import PRINTED

    return parse_python(text, table, PRINTED)


def _zero(request):
    from .symbolic import is_zero

    table = _symbols(request["kinds"])
    return {"result": is_zero(_parse(request["expr"], table), {table[n]: k for n, k in request["kinds"].items()})}


def _judge(request):
    from .judge import judge

    earlier = [(name, text, outcome) for name, text, outcome in request["earlier"]]
    return {"verdict": judge(request["quantity"], request["text"], loss=request["loss"], syntax=request["syntax"],
                             earlier=earlier, budget=request.get("budget"))}


def _sheet(request):
    from gancheck import GancheckError

    from .sheet import sheet_from_text
    from .symbolic import Timeout, deadline

    try:
        with deadline(request.get("budget")):
            return {"sheet": sheet_from_text(request["text"], request["form"]).fields()}
    except GancheckError as exc:  # the file is not a usable sheet: the message is for the user
        return {"refused": str(exc)}
    except Timeout:
        return {"refused": "the sheet takes too long to read"}


def _proof(request):
    from gancheck.homework.proofs import child  # imported on a proof's first request, as judge on an answer's

    return (child.proof_request if request["op"] == "proof" else child.step_request)(request)


def main():
    import sympy  # noqa: F401  (imported under the limit, before the parent's first request)

    handlers = {"zero": _zero, "judge": _judge, "sheet": _sheet, "proof": _proof, "proof_step": _proof}
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            reply = handlers[request["op"]](request)
        except MemoryError:
            reply = {"error": "memory limit reached"}
        except Exception as exc:  # noqa: BLE001 — any failure is an answer the parent turns into "undecided"
            reply = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
