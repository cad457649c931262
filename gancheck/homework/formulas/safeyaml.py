"""YAML for untrusted files: PyYAML's ``SafeLoader`` (plain data, no object tags) with bounds on what a small file
can make the loader build.

``SafeLoader`` alone still lets 10 kB of aliases describe a tree of billions of nodes (each alias is a reference,
cheap to load, exponential to walk), nests as deep as the parser's recursion allows, and accepts a scalar as long as
the file. This loader counts, while composing, every node *as if aliases were expanded* and refuses a document
beyond :data:`MAX_NODES`, deeper than :data:`MAX_DEPTH`, or with a scalar longer than :data:`MAX_SCALAR`
characters — before any of it is constructed.
"""
import yaml

MAX_NODES = 5000      # nodes of the document with every alias expanded
MAX_DEPTH = 32        # nesting of collections
MAX_SCALAR = 20_000   # characters in one scalar


class LimitError(yaml.YAMLError):
    """The document exceeds one of the bounds."""


class _Loader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth, self._expanded, self._sizes = 0, 0, {}

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            self._count(self._sizes.get(id(node), 1))
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(f"nested more than {MAX_DEPTH} levels deep")
        before = self._expanded
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_SCALAR:
            raise LimitError(f"a value longer than {MAX_SCALAR} characters")
        self._count(1)
        self._sizes[id(node)] = self._expanded - before  # this node's size with its aliases expanded
        return node

    def _count(self, nodes):
        self._expanded += nodes
        if self._expanded > MAX_NODES:
            raise LimitError(f"more than {MAX_NODES} values once its aliases are expanded")


def load(text):
    """The one document in ``text`` as plain data; :class:`yaml.YAMLError` (:class:`LimitError` for the bounds)."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
