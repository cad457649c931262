"""A dependency-free progress bar on stderr, redrawn at most every ``interval`` seconds so it costs nothing per step."""
import sys
import time


class Progress:
    def __init__(self, total, label="", stream=None, interval=0.25, width=30):
        self.total, self.label, self.stream = int(total), label, stream or sys.stderr
        self.interval, self.width = interval, width
        self.start = self._last = time.perf_counter()

    def update(self, done, note=""):
        now = time.perf_counter()
        if now - self._last < self.interval and done < self.total:
            return
        self._last = now
        filled = int(self.width * done / max(self.total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} {now - self.start:6.1f}s {note}")
        self.stream.flush()

    def close(self):
        self.update(self.total)
        self.stream.write("\n")
        self.stream.flush()
