"""``python -m revox_async``: the same as the ``revox-async`` command."""

from .cli import main

main()
