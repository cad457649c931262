r"""Whitelisting recursive-descent parser for formulas in LaTeX: ``\frac{1}{N}(y-t)h``, ``\bar{h}\,\mathbb{1}[g>0]``.

Grammar (juxtaposition multiplies, ``^`` binds tightest; every construct not listed is refused with its column)::

    sum     := product (('+' | '-') product)*
    product := signed (('*' | \cdot | \times | '/' | \div)? signed)*
    signed  := ('-' | '+') signed | power
    power   := primary ('^' argument)?        argument := '{' sum '}' | one character or command
    primary := number | symbol | '(' sum ')' | '[' sum ']' | '{' sum '}' | \frac{sum}{sum} | \sqrt{sum}
             | function primes? argument | indicator
    symbol  := (letter | \bar{letter} | \overline{letter}) ('_' qualifier)?     e.g. \bar{x}_D is D.x_bar
    indicator := (\mathbb{1} | \mathbf{1}) ('[' cond ']' | '(' cond ')' | '_' '{' cond '}'),  cond := sum relop sum

A subscript names a network (``_D``, ``_G``) or is an index (``h_j``, ``U_{ji}``), which the per-unit scalar form drops.
Functions: ``\sigma``, ``\exp``, ``\log`` (``\log_2``: base 2), ``\ln``, ``\tanh``, ``\max``, ``\min``,
``\operatorname{relu}`` (also ``\mathrm``/``\text``, or the bare word ``relu``); a prime turns σ into σ′ and relu into
relu′; ``|x|`` is :math:`|x|`. ``e^{x}`` is :math:`\exp x`. Sizing (``\left``, ``\big``) and spacing commands are
ignored. Where the names table has a Greek letter (``mu``, ``sigma``, ``theta``), ``\mu``, ``\sigma``, ``\theta`` are
that name — ``\sigma`` is then a standard deviation, not the sigmoid — and an indexed name (``p_i``, ``p_1``) keeps its
subscript. A table of functions beyond the vocabulary (a proof's ``diff``, ``sum``, ``KL``, …) is called by name
(``\operatorname{KL}(p, q)``, ``\mathbb{E}[…]``), and ``\sum_i`` (or ``\sum_{i=1}^{n}``) sums the product after it.
"""
import re

import sympy as sp

from .pysyntax import precheck
from .vocabulary import CONSTANTS, FUNCTIONS, STUDENT, ParseError, call, checked, indicator, number, power

_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+(?:\.\d*)?|\.\d+)|([A-Za-z]+)|(\s+)|(.)", re.S)
_IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
            "Biggl", "Biggr", "displaystyle", "textstyle", "quad", "qquad", ",", ";", ":", "!", " "}
_ALIASES = {"{": "(", "}": ")", "lbrace": "(", "rbrace": ")", "cdot": "*", "times": "*", "ast": "*", "div": "/",
            "gt": ">", "lt": "<", "ge": ">=", "geq": ">=", "geqslant": ">=", "le": "<=", "leq": "<=",
            "leqslant": "<=", "lvert": "|", "rvert": "|", "vert": "|", "|": ","}  # KL(p \| q)
# LaTeX function words (as \command, \operatorname{...} or a bare word) → vocabulary function; primes → derivative.
_FUNCTIONS = {"sigma": "sigmoid", "sigmoid": "sigmoid", "exp": "exp", "log": "log", "ln": "log", "tanh": "tanh",
              "max": "Max", "min": "Min", "relu": "relu", "heaviside": "Heaviside", "softplus": "softplus",
              "abs": "Abs", "lambertw": "LambertW"}
_PRIMED = {"sigmoid": "sigmoid_prime", "relu": "relu_prime"}
_FONTS = {"mathrm", "operatorname", "text", "textrm", "mathit", "mathsf", "mathbb", "mathbf", "mathds"}
_INDEX_LETTERS = set("ijklmn")
_UNSUPPORTED = {"sum": "sums are not supported: give the per-sample, per-unit scalar form (sums are implicit)",
                "partial": "write the formula for the quantity, not a derivative symbol"}


def parse_latex(text, names, limits=STUDENT, functions=FUNCTIONS):
    """SymPy expression for the LaTeX ``text``; ``names`` and ``functions`` as for :func:`.pysyntax.parse_python`
    (``"z_bar"``, ``"D.x"``, …). Raises :class:`ParseError` with the column of the problem."""
    text = text.strip()
    precheck(text, limits)
    parser = _Parser(_tokens(text, limits), names, limits, len(text) + 1, functions)
    value = parser.sum()
    kind, _, col = parser.peek()
    if kind != "end":
        raise ParseError(f"unexpected '{parser.peek()[1]}'", col)
    return value


def _tokens(text, limits):
    """(kind, value, column) triples; kinds: num, word, cmd, op, end. Commands are mapped through the aliases."""
    out = []
    for m in _TOKEN.finditer(text):
        col = m.start() + 1
        command, num, word, space, char = m.groups()
        if space or command in _IGNORED or char == "~":
            continue
        if command is not None:
            value = _ALIASES.get(command, command)
            out.append(("op" if value != command or not command.isalpha() else "cmd", value, col))
        elif num is not None:
            out.append(("num", num, col))
        elif word is not None:
            out.append(("word", word, col))
        elif char in "+-*/^_()[]{},'<>=|":
            out.append(("op", char, col))
        else:
            raise ParseError(f"unexpected character '{char}'", col)
        if len(out) > limits.nodes:
            raise ParseError(f"the formula is too large (more than {limits.nodes} tokens)", col)
    return out


class _Parser:
    def __init__(self, tokens, names, limits, end_column, functions):
        self.tokens, self.names, self.limits, self.functions = tokens, names, limits, functions
        self.extra = {name for name in functions if name not in FUNCTIONS}
        self.i, self.depth, self.bars, self.end = 0, 0, 0, ("end", "end of formula", end_column)

    # -- token access -----------------------------------------------------------------------------------------
    def peek(self, ahead=0):
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else self.end

    def take(self):
        token = self.peek()
        self.i += token[0] != "end"
        return token

    def expect(self, value):
        kind, got, col = self.take()
        if got != value or kind not in ("op",):
            raise ParseError(f"expected '{value}' but found '{got}'", col)

    def is_op(self, *values):
        kind, value, _ = self.peek()
        return kind == "op" and value in values

    def deeper(self, col):
        self.depth += 1
        if self.depth > self.limits.depth:
            raise ParseError(f"the formula is nested too deeply (more than {self.limits.depth} levels)", col)

    # -- grammar ------------------------------------------------------------------------------------------------
    def sum(self):
        self.deeper(self.peek()[2])
        value = self.product()
        while self.is_op("+", "-"):
            _, op, col = self.take()
            rhs = self.product()
            value = checked(value + rhs if op == "+" else value - rhs, col, self.limits)
        self.depth -= 1
        return value

    def product(self):
        value = self.signed()
        while True:
            kind, op, col = self.peek()
            if kind == "op" and op in ("*", "/"):
                self.take()
                rhs = self.signed()
                rhs = power(rhs, sp.Integer(-1), col, self.limits) if op == "/" else rhs
            elif self.starts_primary():
                rhs = self.power()
            else:
                return value
            value = checked(value * rhs, col, self.limits)

    def starts_primary(self):
        """Inside ``|…|`` a bar closes the group, so it starts no juxtaposed factor there."""
        kind, value, _ = self.peek()
        opens = value in ("(", "[", "{") or (value == "|" and not self.bars)
        return kind in ("num", "word", "cmd") or (kind == "op" and opens)

    def signed(self):
        if self.is_op("-", "+"):
            _, op, col = self.take()
            self.deeper(col)
            value = self.signed()
            self.depth -= 1
            return checked(-value, col, self.limits) if op == "-" else value
        return self.power()

    def power(self):
        base = self.primary()
        if self.is_op("^"):
            col = self.take()[2]
            base = power(base, self.argument(), col, self.limits)
        return base

    def group(self):
        self.expect("{")
        value = self.sum()
        self.expect("}")
        return value

    def split_first(self):
        """LaTeX takes one character where a script or argument has no braces (``x^23`` is x²·3, ``\\frac1N`` is
        1/N), and juxtaposed letters are a product (``th`` is t·h): split the next number or word token."""
        kind, value, col = self.peek()
        if kind in ("num", "word") and len(value) > 1:
            self.tokens[self.i:self.i + 1] = [(kind, value[0], col), (kind, value[1:], col + 1)]

    def primary(self):
        """Every primary counts as a level of nesting: ``\\exp\\exp…x`` and ``\\sqrt\\sqrt…x`` nest without braces."""
        self.deeper(self.peek()[2])
        try:
            return self._primary()
        finally:
            self.depth -= 1

    def _primary(self):
        kind, value, col = self.peek()
        if kind == "num":
            return number(self.take()[1], col, self.limits)
        if kind == "op" and value in ("(", "[", "{"):
            self.take()
            inner = self.sum()
            self.expect({"(": ")", "[": "]", "{": "}"}[value])
            return inner
        if kind == "op" and value == "|":
            self.take()
            self.bars += 1
            inner = self.sum()
            if not self.is_op("|"):
                raise ParseError("an absolute value |…| is not closed", col)
            self.take()
            self.bars -= 1
            return call("Abs", [inner], col, self.limits)
        if kind == "word":
            return self.word()
        if kind == "cmd":
            return self.command()
        raise ParseError(f"unexpected '{value}'" if kind != "end" else "unexpected end of formula", col)

    def word(self):
        kind, value, col = self.peek()
        if value.lower() in _FUNCTIONS:
            self.take()
            return self.function(_FUNCTIONS[value.lower()], col)
        if value in self.extra and (len(value) > 1 or self.peek(1)[1] in ("(", "[")):  # KL(p, q), E[x^2]
            self.take()
            return self.function(value, col)
        self.split_first()  # juxtaposed letters multiply: "th" is t*h
        _, letter, col = self.take()
        return self.symbol(letter, col)

    def command(self):
        _, name, col = self.take()
        if name in ("frac", "dfrac", "tfrac"):
            numerator = self.argument()
            return checked(numerator * power(self.argument(), sp.Integer(-1), col, self.limits), col, self.limits)
        if name == "sqrt":
            if self.is_op("["):
                raise ParseError("only square roots are allowed (no \\sqrt[n])", self.peek()[2])
            return call("sqrt", [self.argument()], col, self.limits)
        if name in ("bar", "overline"):
            letter, letter_col = self.braced_letters()
            return self.symbol(f"{letter}_bar", letter_col)
        if name == "pi":
            return CONSTANTS["pi"]
        if name in self.names:  # a Greek letter that is a name here: \mu, \theta, \sigma as a standard deviation
            return self.symbol(name, col)
        if name == "sum" and "sum" in self.functions:
            return self.big_sum(col)
        if name in _FONTS:
            word, word_col = self.braced_letters()
            if name in ("mathbb", "mathbf", "mathds") and word in ("1", "I"):
                return self.indicator(col)
            if word.lower() in _FUNCTIONS:
                return self.function(_FUNCTIONS[word.lower()], col)
            if word in self.extra:
                return self.function(word, col)
            return self.symbol(word, word_col)
        if name in _FUNCTIONS:
            return self.function(_FUNCTIONS[name], col)
        raise ParseError(_UNSUPPORTED.get(name, f"unknown LaTeX command \\{name}"), col)

    def argument(self):
        """A superscript or an argument of \\frac, \\sqrt: ``{sum}`` or one token (``x^2``, ``e^z``, ``\\frac1N``)."""
        if self.is_op("{"):
            return self.group()
        self.split_first()
        return self.primary()

    def braced_letters(self):
        """The raw content of ``{...}`` (letters or a digit) after \\bar, \\mathrm, …, or one bare letter."""
        if not self.is_op("{"):
            self.split_first()
            kind, value, col = self.take()
            if kind not in ("word", "num"):
                raise ParseError(f"expected a letter but found '{value}'", col)
            return value, col
        self.take()
        kind, value, col = self.take()
        if kind not in ("word", "num"):
            raise ParseError(f"expected a name but found '{value}'", col)
        self.expect("}")
        return value, col

    def big_sum(self, col):
        """``\\sum_i`` or ``\\sum_{i=1}^{n}`` and the product after it: the sum over every point of the index."""
        self.expect("_")
        braced = self.is_op("{") and bool(self.take())
        index, index_col = self.braced_letters() if not braced else self.take()[1:]
        if braced:
            if self.is_op("="):  # the bounds are the points' own: i = 1 … n
                self.take()
                self.take()
            self.expect("}")
        if self.is_op("^"):
            self.take()
            self.braced_letters()
        return call("sum", [self.product(), self.symbol(index, index_col)], col, self.limits, self.functions)

    def function(self, name, col):
        primes = 0
        while self.is_op("'") or (self.is_op("^") and self.peek(1)[1] in ("prime", "{")):
            if self.take()[1] == "^":  # ^\prime or ^{\prime}
                braced = self.is_op("{") and bool(self.take())
                if self.take()[1] != "prime":
                    raise ParseError("a function can only be raised to \\prime (write (\\sigma(z))^2)", col)
                if braced:
                    self.expect("}")
            primes += 1
        if primes:
            if primes > 1 or name not in _PRIMED:
                raise ParseError(f"no derivative of {name} is available here (only σ′ and relu′)", col)
            name = _PRIMED[name]
        base = None
        if name == "log" and self.is_op("_"):  # \log_2 x, \log_{10} x
            self.take()
            base = number(self.braced_letters()[0], col, self.limits)
        if self.is_op("("):
            self.take()
            args = [self.sum()]
            while self.is_op(","):
                self.take()
                args.append(self.sum())
            self.expect(")")
        elif self.is_op("[", "{"):
            args = [self.primary()]
        else:
            args = [self.power()]
        return call(name, args + [base] * (base is not None), col, self.limits, self.functions)

    def symbol(self, name, col):
        if self.is_op("_"):
            self.take()
            subscript, sub_col = self.braced_letters()
            if f"{name}_{subscript}" in self.names:  # an indexed name: p_i, p_1
                name = f"{name}_{subscript}"
            elif subscript in ("D", "G"):
                name = f"{subscript}.{name}"
            elif not set(subscript) <= _INDEX_LETTERS:
                raise ParseError(f"subscript '{subscript}' is neither a network (D, G) nor an index (i, j, k, l, n)",
                                 sub_col)
        if name in self.names:
            value = self.names[name]
            if isinstance(value, str):
                raise ParseError(value, col)
            return value
        if name == "e":
            return sp.E
        raise ParseError(f"unknown symbol '{name}'", col)

    def indicator(self, col):
        if self.is_op("_"):
            self.take()
            self.expect("{")
            value = self.condition(col)
            self.expect("}")
            return value
        closing = {"[": "]", "(": ")"}.get(self.peek()[1]) if self.peek()[0] == "op" else None
        if closing is None:
            raise ParseError("an indicator needs a condition: \\mathbb{1}[g > 0]", self.peek()[2])
        self.take()
        value = self.condition(col)
        self.expect(closing)
        return value

    def condition(self, col):
        if self.is_op("("):  # \{g > 0\} (braces are read as parentheses)
            start = self.i
            try:
                self.take()
                value = self.condition(col)
                self.expect(")")
                return value
            except ParseError:
                self.i = start
        lhs = self.sum()
        kind, op, op_col = self.take()
        if kind == "op" and op in ("<", ">") and self.is_op("="):
            op += self.take()[1]
        if kind != "op" or op not in (">", ">=", "<", "<="):
            raise ParseError(f"expected a comparison (>, \\geq, <, \\leq) but found '{op}'", op_col)
        return indicator(lhs, op, self.sum(), col, self.limits)
