"""``gancheck derive [NAME …] [--latex]`` prints derivations; ``gancheck verify [NAME …]`` proves and checks them.

``verify`` prints one row per derivation — symbolic proof ✓/✗, the numeric check's largest absolute error and its
largest error as a fraction of the tolerance, the number of numeric cases, seconds — and exits 1 if any fails.
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
            print(f"{name:<22}{registry.get(name).title}")
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


def run_verify(args):
    t0 = time.perf_counter()  # the total reported includes importing SymPy and building the derivations
    from derivations import registry
    from derivations.proofcache import ProofCache

    names = _names(args.names)
    cache = None if args.no_cache else ProofCache()
    yes, no = _marks()
    print(f"{'derivation':<22}{'symbolic':>9}{'numeric':>9}{'max abs err':>13}{'err/tol':>9}{'cases':>7}{'seconds':>9}")
    failed, any_cached = [], False
    for name in names:
        v = registry.verify(name, seed=args.seed, cache=cache)
        if v.error:
            print(f"{name:<22}{no:>9}{no:>9}  error: {v.error}")
            failed.append(name)
            continue
        c = v.check
        any_cached = any_cached or v.proof.cached
        mark = (yes if v.proof.passed else no) + ("*" if v.proof.cached else "")
        print(f"{name:<22}{mark:>9}{(yes if c.passed else no):>9}"
              f"{c.max_abs_error:>13.2e}{c.worst_ratio:>9.2g}{c.n_cases:>7}{v.seconds:>9.2f}")
        if not v.passed:
            failed.append(name)
            for what in v.proof.failures() + [f"numeric: {f}" for f in c.failures]:
                print(f"{'':<4}not verified: {what}")
    total = time.perf_counter() - t0
    print(f"{len(names) - len(failed)}/{len(names)} verified in {total:.1f} s")
    if any_cached:
        print(f"* proof reused from {cache.path} (same code, same SymPy); --no-cache re-proves")
    return 1 if failed else 0
