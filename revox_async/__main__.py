"""``python -m revox_async``: the same as the ``revox-async`` command."""

from ._cli import main

main()
