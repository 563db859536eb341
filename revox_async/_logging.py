"""The ``revox_async`` logger, switched on by ``REVOX_LOG=info|debug``.

Only methods, URLs, statuses and timings are logged: never headers, bodies or
the API key.
"""

from __future__ import annotations

import logging
import os

__all__ = ["log_attempt", "log_redirect", "logger", "setup_from_env"]

logger = logging.getLogger("revox_async")

_configured = False


def log_attempt(method: str, url: str, outcome: int | str, attempt: int, elapsed: float) -> None:
    """Log one attempt at DEBUG, whatever came of it: its status, or the class name
    of the error it raised (``outcome``), and ``elapsed`` seconds, as in
    ``GET https://…/api/assistants -> 500 (attempt 1) in 12.3 ms``."""
    logger.debug(
        "%s %s -> %s (attempt %d) in %.1f ms", method, url, outcome, attempt, elapsed * 1000
    )


def log_redirect(method: str, url: str, status: int, target: str, hop: int) -> None:
    """Log a redirect being followed, within an attempt, at DEBUG: each costs a round
    trip, and a ``base_url`` that is redirected on every call wants fixing."""
    logger.debug("%s %s -> %d, following redirect %d to %s", method, url, status, hop, target)


def setup_from_env() -> None:
    """Honour ``REVOX_LOG`` once per process; leaves an app's own config alone."""
    global _configured  # noqa: PLW0603 - a once-per-process latch
    if _configured:
        return
    _configured = True
    level = os.environ.get("REVOX_LOG", "").strip().upper()
    if level not in ("INFO", "DEBUG"):
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
