"""Small shared types: the "not given" sentinel and type aliases."""

from __future__ import annotations

import enum
from typing import Final, Literal

__all__ = ["NOT_GIVEN", "NotGiven"]


class NotGiven(enum.Enum):
    """The type of `NOT_GIVEN`: "leave this field out of the request".

    ``None`` is a value (it is sent as JSON ``null``); ``NOT_GIVEN`` is the
    absence of one:

        await client.assistants.update(aid, voicemail_message=None)       # send null
        await client.assistants.update(aid, voicemail_message=NOT_GIVEN)  # send nothing
    """

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
"""Leave a field out of the request (``None`` sends ``null``)."""
