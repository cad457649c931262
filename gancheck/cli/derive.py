"""``gancheck derive [NAME …] [--latex]`` prints derivations; ``gancheck verify [NAME …]`` proves and checks them.

``verify`` prints one row per result of the lecture — its derivation, the symbolic proof ✓/✗, the numeric check ✓/✗
against an independent computation, the check's worst error as a fraction of its own tolerance, the number of numeric
cases, seconds, the result as the lecture names it, and the independent computations it was checked against — and
exits 1 if any fails.
"""
import sys
import time

from . import args as types


def add_parser(subparsers):
    p = subparsers.add_parser("derive", help="print derivations step by step (text or LaTeX)",
                              description="Print the derivations' steps, justifications and results.")
    p.add_argument("names", nargs="*", metavar="NAME", help="derivations to print (default: all; see --list)")
    p.add_argument("--latex", action="store_true", help="LaTeX fragments (an aligned block) for a docs page")
    p.add_argument("--list", action="store_true", help="list the derivations' names and titles")
    p.set_defaults(run=run_derive)
    v = subparsers.add_parser("verify", help="prove every derivation symbolically and check it numerically",
                              description="Prove every derivation with SymPy and check it numerically; exit 1 if "
                                          "anything fails.")
    v.add_argument("names", nargs="*", metavar="NAME", help="derivations to verify (default: all)")
    v.add_argument("--seed", type=types.seed, default=0,
                   help=f"seed of the numeric checks' random instances, 0 to {types.SEED_MAX} (default 0)")
    v.add_argument("--no-cache", action="store_true", help="re-run every symbolic proof (by default a proof already "
                   "passed by the same code and SymPy version is reused; the numeric checks always run)")
    v.set_defaults(run=run_verify)


def _names(requested):
    from derivations import registry

    known = registry.names()
    for name in requested:
        if name not in known:
            from gancheck import GancheckError

            raise GancheckError(f"unknown derivation {name!r}; choose from {', '.join(known)}")
    return list(requested) or known


def run_derive(args):
    from derivations import registry

    names = _names(args.names)
    if args.list:
        for name in names:
            print(f"{name:<24}{registry.get(name).title}")
        return 0
    for i, name in enumerate(names):
        d = registry.get(name)
        if args.latex:
            print(f"% {d.title} [{d.name}] — {d.source}\n{d.to_latex()}")
        else:
            print(d.to_text())
        if i < len(names) - 1:
            print()
    return 0


def _marks():
    try:
        "✓✗".encode(sys.stdout.encoding or "ascii")
        return "✓", "✗"
    except (UnicodeEncodeError, LookupError):
        return "ok", "FAIL"


def _verdict_rows(index, v, lecture, yes, no):
    """A verdict as the table's line and the line naming its independent checks."""
    if v.error:
        return [f"{index:>2}  {v.name:<24}{no:>6}{no:>7}  error: {v.error}", f"{'':<4}{lecture}"]
    c = v.check
    mark = (yes if v.proof.passed else no) + ("*" if v.proof.cached else "")
    return [f"{index:>2}  {v.name:<24}{mark:>6}{(yes if c.passed else no):>7}{c.worst_ratio:>9.2g}{c.n_cases:>7}"
            f"{v.seconds:>7.2f}  {lecture}",
            f"{'':<4}{'':<24}{'':>13}{'':>23}  checked against: {', '.join(c.oracles)}"]


def run_verify(args):
    t0 = time.perf_counter()  # the total reported includes importing SymPy and building the derivations
    from derivations import registry
    from derivations.proofcache import ProofCache

    names = _names(args.names)
    cache = None if args.no_cache else ProofCache()
    yes, no = _marks()
    print(f"{'#':>2}  {'derivation':<24}{'proof':>6}{'check':>7}{'err/tol':>9}{'cases':>7}{'s':>7}  "
          "result, as the lecture names it")
    failed, any_cached = [], False
    for index, v in enumerate(registry.verify_all(names, seed=args.seed, cache=cache), 1):
        lecture = _lecture_name(registry, v.name)
        for line in _verdict_rows(index, v, lecture, yes, no):
            print(line)
        if v.error:
            failed.append(v.name)
            continue
        any_cached = any_cached or v.proof.cached
        if not v.passed:
            failed.append(v.name)
            for what in v.proof.failures() + [f"numeric: {f}" for f in v.check.failures]:
                print(f"{'':<4}not verified: {what}")
    total = time.perf_counter() - t0
    print(f"{len(names) - len(failed)}/{len(names)} verified in {total:.1f} s (proof: SymPy; check: an independent "
          "computation; err/tol: the worst error as a fraction of its check's own tolerance, ≤ 1 passes)")
    if any_cached:
        print(f"* proof reused from {cache.path} (same code, same SymPy); --no-cache re-proves")
    return 1 if failed else 0


def _lecture_name(registry, name):
    try:
        return registry.get(name).lecture or registry.get(name).title
    except Exception as exc:  # a derivation that cannot be built is already a failed row
        return f"(cannot build: {type(exc).__name__})"
