"""Whitelisting parser for formulas in SymPy/Python syntax: ``(1/N)*(y - t)*h``, ``relu_prime(g)``, ``(g > 0)*h_bar``.

The text is parsed by :func:`ast.parse` (``mode="eval"``: one expression, no statements) and nothing is ever
evaluated: SymPy objects are built node by node from a short list of node types. Anything else — attribute access,
subscripts, lambdas, comprehensions, strings, calls of anything but the whitelisted functions — is refused with the
column where it starts. ``^`` is read as a power, as students (and LaTeX) mean it — rewritten to ``**`` before
parsing, so it also binds like one (Python's ``^`` would bind looser than ``+``). Qualified names such as
``D.x_bar`` are *names* looked up in the table the caller passes, never attribute access on an object.
"""
import ast
import unicodedata

import sympy as sp

from .vocabulary import (CONSTANTS, FUNCTIONS, STUDENT, ParseError, call, checked, indicator, not_a_function, number,
                         power)

_COMPARE = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}

# Node types a student might try, with the reason they are refused (anything unlisted gets a generic message).
_REFUSED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Lambda: "lambda expressions are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.NamedExpr: "assignment expressions are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed",
    ast.Starred: "starred expressions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
}


def precheck(text, limits):
    """Length, characters and bracket depth, checked on the raw text before any parser sees it."""
    if len(text) > limits.chars:
        raise ParseError(f"the formula is too long ({len(text)} characters, at most {limits.chars})", limits.chars + 1)
    depth = 0
    for col, ch in enumerate(text, 1):
        if ch in "\n\r":
            raise ParseError("line breaks are not allowed (one expression per answer)", col)
        if ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise ParseError(f"control character U+{ord(ch):04X} is not allowed", col)
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth > limits.depth:
            raise ParseError(f"brackets nested too deeply (more than {limits.depth})", col)


def parse_python(text, names, limits=STUDENT, functions=FUNCTIONS):
    """SymPy expression for ``text``. ``names`` maps every allowed name (``"h"``, ``"z_bar"``, ``"D.x_bar"``) to its
    Symbol, or to a string saying why that name may not be used here; ``functions`` is the table of callable
    functions (:data:`.vocabulary.FUNCTIONS`). Raises :class:`ParseError`."""
    text = text.strip()
    precheck(text, limits)
    if not text:
        raise ParseError("the formula is empty", 1)
    source = _Source(text)
    try:
        tree = ast.parse(source.code, mode="eval")
    except SyntaxError as exc:
        at_end = not exc.offset or exc.offset > len(source.code)  # Python reports offset 0 for an early end
        column = len(source.code) + 1 if at_end else exc.offset
        raise ParseError(f"syntax error: {exc.msg}", source.column(column)) from None
    except (ValueError, MemoryError, RecursionError):
        raise ParseError("the formula cannot be read", 1) from None
    _check_size(tree.body, source, limits)
    return _Builder(source, names, limits, functions).build(tree.body)


class _Source:
    """The text as parsed (``^`` → ``**``) and the map from its columns back to the student's."""

    def __init__(self, text):
        self.code = text.replace("^", "**")
        self._original = [i for i, ch in enumerate(text) for _ in range(2 if ch == "^" else 1)] + [len(text)]

    def column(self, code_column):
        """1-based column in the student's text of the 1-based ``code_column``."""
        return self._original[min(code_column, len(self._original)) - 1] + 1

    def node_column(self, node):
        """Column of an AST node (``col_offset`` counts UTF-8 bytes of the parsed code)."""
        offset = getattr(node, "col_offset", 0)
        return self.column(len(self.code.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1)


def _check_size(root, source, limits):
    count, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > limits.nodes:
            raise ParseError(f"the formula is too large (more than {limits.nodes} parts)", 1)
        if depth > limits.tree_depth:
            raise ParseError(f"the formula is nested too deeply (more than {limits.tree_depth} levels)",
                             source.node_column(node))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Builder:
    def __init__(self, source, names, limits, functions):
        self.source, self.names, self.limits, self.functions = source, names, limits, functions

    def refuse(self, message, node):
        raise ParseError(message, self.source.node_column(node))

    def build(self, node):
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            self.refuse(_REFUSED.get(type(node), f"{type(node).__name__} is not allowed in a formula"), node)
        return method(node)

    def _Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "strings are" if isinstance(value, (str, bytes)) else f"{value!r} is"
            self.refuse(f"{kind} not allowed in a formula", node)
        literal = ast.get_source_segment(self.source.code, node) or repr(value)
        return number(literal.replace("_", ""), self.source.node_column(node), self.limits)

    def _Name(self, node):
        return self.lookup(node.id, node)

    def lookup(self, name, node):
        if name.startswith("__"):
            self.refuse(f"dunder names such as '{name}' are not allowed", node)
        if name in self.names:
            value = self.names[name]
            if isinstance(value, str):
                self.refuse(value, node)
            return value
        if name in CONSTANTS:
            return CONSTANTS[name]
        self.refuse(f"unknown name '{name}'", node)

    def _Attribute(self, node):
        # Only a qualified name ``D.x_bar`` / ``G.h``: a net's letter followed by a name the table knows.
        if isinstance(node.value, ast.Name) and node.value.id in ("D", "G") and not node.attr.startswith("__"):
            qualified = f"{node.value.id}.{node.attr}"
            if qualified in self.names:
                return self.lookup(qualified, node)
            self.refuse(f"unknown name '{qualified}'", node)
        self.refuse(_REFUSED[ast.Attribute], node)

    def _UnaryOp(self, node):
        if isinstance(node.op, ast.USub):
            return checked(-self.build(node.operand), self.source.node_column(node), self.limits)
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand)
        self.refuse(f"operator {type(node.op).__name__} is not allowed", node)

    def _BinOp(self, node):
        a, b = self.build(node.left), self.build(node.right)
        col = self.source.node_column(node)
        op = type(node.op)
        if op in (ast.Pow, ast.BitXor):
            return power(a, b, col, self.limits)
        if op is ast.Div:
            return checked(a * power(b, sp.Integer(-1), col, self.limits), col, self.limits)
        if op in (ast.Add, ast.Sub, ast.Mult):
            value = a + b if op is ast.Add else a - b if op is ast.Sub else a * b
            return checked(value, col, self.limits)
        self.refuse(f"operator {op.__name__} is not allowed (use + - * / **)", node)

    def _Compare(self, node):
        if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
            self.refuse("only one comparison (>, >=, <, <=) is allowed, as an indicator such as (g > 0)", node)
        lhs, rhs = self.build(node.left), self.build(node.comparators[0])
        return indicator(lhs, _COMPARE[type(node.ops[0])], rhs, self.source.node_column(node), self.limits)

    def _Call(self, node):
        if not isinstance(node.func, ast.Name):
            self.refuse("only whitelisted functions may be called, by name", node)
        if node.keywords:
            self.refuse("keyword arguments are not allowed", node.keywords[0].value)
        name = node.func.id
        if name.startswith("__"):
            self.refuse(f"dunder names such as '{name}' are not allowed", node)
        if name in self.names:
            self.refuse(f"'{name}' is a quantity, not a function (write * for a product)", node)
        if name not in self.functions:  # refuse before reading the arguments, so the message names the real culprit
            self.refuse(not_a_function(name, self.functions), node)
        return call(name, [self.build(arg) for arg in node.args], self.source.node_column(node), self.limits,
                    self.functions)
