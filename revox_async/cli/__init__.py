"""Entry point of the ``revox-async`` command (and ``python -m revox_async``).

click and rich come with the ``cli`` extra; without them the command says how
to get them instead of failing with an ImportError. This module and the package
above it import almost nothing: the command loads inside `main`, so a Ctrl-C
while it loads exits 130 like one during a command, not with a traceback.
SIGTERM (``docker stop``, systemd, Kubernetes) is handled as a Ctrl-C: a batch
stops and writes its summary, a call being placed says how to check it.
"""

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    import signal
    import sys
    from types import FrameType

    def terminated(signo: int, frame: FrameType | None) -> None:
        handler = signal.getsignal(signal.SIGINT)  # asyncio.run's, while a command runs
        if not callable(handler):
            raise KeyboardInterrupt
        handler(signal.SIGINT, frame)

    try:
        before = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        before = None
    try:
        try:
            from ._app import cli
        except ImportError as exc:  # pragma: no cover - only without the extra
            sys.stderr.write(
                f"revox-async needs the 'cli' extra ({exc.name} is missing): "
                "pip install 'revox-async[cli]'\n"
            )
            raise SystemExit(2) from exc
        cli.main(args=argv, prog_name="revox-async")
    except KeyboardInterrupt:
        raise SystemExit(130) from None  # EXIT_INTERRUPTED (its module is not loaded yet)
    finally:
        if before is not None:
            signal.signal(signal.SIGTERM, before)
