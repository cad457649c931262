"""Griffe extension for the API reference: a package documents its modules, not the names its ``__init__`` re-exports
(``gancheck.nn.Dense`` is documented once, as ``gancheck.nn.dense.Dense``, where its code is)."""
import griffe


class NoReexports(griffe.Extension):
    def on_module(self, *, mod, **kwargs):
        if mod.is_init_module:  # a package or subpackage: its __init__.py
            for name in [n for n, member in mod.members.items() if member.is_alias]:
                mod.del_member(name)
