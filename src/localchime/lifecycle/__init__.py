"""Time-driven transitions: whatever falls due on the service clock runs, earliest first.

`run_due(store, now_ms)` is called before each request whose clock reading has a timer due, by
the clock control API before it answers, and by the server's background task in real time.
"""

from localchime.lifecycle import orders  # noqa: F401  (registers its transitions)
from localchime.lifecycle.scheduler import run_due, transition

__all__ = ["run_due", "transition"]
