"""The ``revox_async`` logger, switched on by ``REVOX_LOG=info|debug``.

Only methods, URLs, statuses and timings are logged: never headers, bodies or
the API key.
"""

from __future__ import annotations

import logging
import os

__all__ = ["logger", "setup_from_env"]

logger = logging.getLogger("revox_async")

_configured = False


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
