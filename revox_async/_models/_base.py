"""What every model shares: unknown keys kept, explicit nulls remembered."""

from typing import Any

import attrs

__all__ = ["Model"]


@attrs.define(kw_only=True)
class Model:
    """The base of every revox_async model.

    ``extra_fields`` holds every key the server sent that this version of the
    SDK does not know, and the raw value of any known field it could not read
    (that field then reads ``None``). `revox_async.to_dict` writes them
    back, together with the nulls the server sent, so an object round-trips
    exactly.
    """

    extra_fields: dict[str, Any] = attrs.field(factory=dict, repr=False)
    _nulls: frozenset[str] = attrs.field(init=False, factory=frozenset, repr=False, eq=False)
    """Known fields the server sent as an explicit ``null`` (written back by ``to_dict``)."""
