"""gancheck.progress: tqdm bars on a terminal, silence elsewhere, and inner loops reporting to the command's bar."""
import io

from gancheck import progress
from gancheck.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_bar_draws_on_a_terminal_with_its_label_count_and_note():
    tty = Terminal()
    bar = Progress(200, label="grading", stream=tty, interval=0)
    bar.update(50, note="alice")
    bar.update(200, note="bob")
    bar.close()
    shown = tty.getvalue()
    assert "grading" in shown and "50/200" in shown and "200/200" in shown and "bob" in shown


def test_a_bar_is_silent_when_its_stream_is_not_a_terminal():
    log = io.StringIO()
    bar = Progress(10, label="train x2", stream=log)
    bar.update(10, note="d_loss=0.69")
    bar.close()
    assert log.getvalue() == "" and bar.done == 10


def test_quiet_silences_even_a_terminal():
    tty = Terminal()
    with Progress(5, label="x", stream=tty, quiet=True) as bar:
        progress.advance(5)
    assert tty.getvalue() == "" and bar.done == 5


def test_inner_loops_report_to_the_innermost_open_bar_and_to_nothing_without_one():
    progress.advance(7)  # no bar open: nothing happens
    with Progress(100, stream=io.StringIO()) as outer:
        progress.advance(30)
        with Progress(10, stream=io.StringIO()) as inner:
            progress.advance(4)
        progress.advance(30)
    assert (outer.done, inner.done) == (60, 4)
    progress.advance(1)
    assert outer.done == 60


def test_write_prints_a_line_on_stdout_while_the_bar_lives(capsys):
    tty = Terminal()
    bar = Progress(3, label="verify", stream=tty, interval=0)
    bar.write("bce  ✓  ✓")
    bar.update(1)
    bar.close()
    assert capsys.readouterr().out == "bce  ✓  ✓\n" and "1/3" in tty.getvalue()
