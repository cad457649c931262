"""SymPy derivations of the course's results, each proved symbolically and checked numerically.

* :mod:`derivations.registry` — the one list of derivations by name (CLI ``gancheck derive`` / ``gancheck verify``,
  tests, docs, homework checker);
* :mod:`derivations.core` — :class:`~derivations.core.Derivation` (steps, claims, ``prove``, ``decide``, ``check``,
  ``to_latex``); :mod:`derivations.decide` — the symbolic decisions; :mod:`derivations.render` — LaTeX and text;
  :mod:`derivations.proofcache` — proofs reused while code and SymPy are unchanged;
* :mod:`derivations.backprop` — the homework's reference backprop chain, proved by :mod:`derivations.netproof`
  (composite loss at explicit sizes, with :mod:`derivations.activations` and :mod:`derivations.indexed`);
* one module per derivation: ``bce``, ``disc_backprop``, ``gen_backprop``, ``optimal_d``, ``jsd``, ``information``,
  ``saturation``, ``vae``, ``wasserstein``, ``fdivergences``.
"""
