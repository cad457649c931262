"""SymPy derivations of the course's results, each proved symbolically and checked against an independent computation.

* :mod:`derivations.registry` — the one list of derivations by name, one per result the lecture states (CLI
  ``gancheck derive`` / ``gancheck verify``, tests, docs, homework checker), and the answer quantities' claims;
* :mod:`derivations.core` — :class:`~derivations.core.Derivation` (steps, claims, ``prove``, ``decide``, ``check``,
  ``to_latex``); :mod:`derivations.decide` — the symbolic decisions; :mod:`derivations.render` — LaTeX and text;
  :mod:`derivations.proofcache` — proofs reused while code and SymPy are unchanged;
* :mod:`derivations.independence` — the rule for numeric checks and the oracles that enforce it;
  :mod:`derivations.oracles` — the shared independent computations (complex step, mpmath, exact transport);
* :mod:`derivations.backprop` — the homework's reference backprop chain, proved by :mod:`derivations.netproof`
  (composite loss at explicit sizes, with :mod:`derivations.activations` and :mod:`derivations.indexed`);
  :mod:`derivations.gibbs` — Gibbs' inequality, which several results rest on;
* one module per result (or family of results): ``vae``, ``reparameterisation``, ``elbo``, ``information``,
  ``jsd_definition``, ``optimal_d``, ``jsd``, ``optimal_g``, ``bce``, ``disc_backprop``, ``gen_backprop``,
  ``saturation``, ``disjoint``, ``fdivergences``, ``conjugates``, ``wasserstein``, ``parallel_lines``, ``duality``,
  ``clipping``, ``wgan_algorithm``, ``keras``.
"""
