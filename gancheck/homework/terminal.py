"""Text from students (their code's output, their file names, their formulas) made safe to print and to store.

A terminal obeys control characters: ``ESC [ 2 J`` clears the instructor's screen, an OSC 8 sequence hides a link,
OSC 52 writes the clipboard, ``\\r`` overwrites a verdict already printed. Unicode's bidirectional controls reorder what
is displayed (the "Trojan Source" trick, CVE-2021-42574). Every report format therefore passes student text through
:func:`printable`, which keeps newlines and tabs and shows every other such character as a visible escape.
"""
import re

# C0 controls except tab and newline, DEL, C1 controls, and Unicode's bidirectional and invisible formatting controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape(match):
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text):
    """``text`` with every control character other than ``\\n`` and ``\\t`` written as a visible escape.

    >>> printable("ok\\x1b[2Jgone\\u202e")
    'ok\\\\x1b[2Jgone\\\\u202e'
    """
    return _UNSAFE.sub(_escape, str(text))
