"""What one report may cost: its length and its extraction time. Beyond either it is refused, as a
failure of that report, and the others go on.

MARSAD_MAX_CHARS and MARSAD_EXTRACT_TIMEOUT change the defaults.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Characters (about 0.9 MB of Arabic UTF-8; a news report has 2,000-20,000): a larger report is a
# scraping accident. Realistic text of this length is extracted in about 2 s.
DEFAULT_MAX_CHARS = 500_000
# Seconds: a report of ordinary length takes milliseconds; one that takes a minute is hostile.
DEFAULT_EXTRACT_TIMEOUT = 60.0


def max_chars() -> int:
    value = os.environ.get("MARSAD_MAX_CHARS", "")
    return int(value) if value.isdecimal() else DEFAULT_MAX_CHARS


def extract_timeout() -> float:
    try:
        seconds = float(os.environ.get("MARSAD_EXTRACT_TIMEOUT", DEFAULT_EXTRACT_TIMEOUT))
    except ValueError:
        return DEFAULT_EXTRACT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_EXTRACT_TIMEOUT


class TimeLimitExceeded(BaseException):
    """Not an Exception: code that catches a defect of its own (`except Exception`) must not swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after `seconds` of wall time.

    By SIGALRM, so only in a process's main thread on Unix (the CLI, the API's worker process);
    elsewhere (a server thread) the block runs unbounded and the caller must bound it otherwise."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum, _frame) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
