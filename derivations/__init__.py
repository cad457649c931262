"""SymPy derivations of the course's results, each proved symbolically and checked numerically.

:mod:`derivations.backprop` holds the homework's reference backprop chain; :mod:`derivations.registry` lists every
derivation by name (the CLI ``gancheck derive`` / ``gancheck verify``, the tests, the docs and the homework checker read
it).
"""
