"""``client.phone_numbers`` and ``client.users``: the account's numbers, and who you are."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from revox_async._converter import build_body, decode_list, decode_model, decode_success
from revox_async._endpoint import Raw, Request, Resource, endpoint, segment
from revox_async._models.phone_numbers import PhoneNumber, User
from revox_async._retry import IN_USE
from revox_async._types import NOT_GIVEN, NotGiven

from ._params import declared_types

__all__ = ["PhoneNumbers", "Users"]

_M = TypeVar("_M")

_list = decode_list(PhoneNumber, "phone_numbers")
_one = decode_model(PhoneNumber, "phone_number")
_user = decode_model(User, "user")


class PhoneNumbers(Resource[_M]):
    """The numbers calls are placed from and answered on: ``client.phone_numbers``."""

    @property
    def with_raw_response(self) -> PhoneNumbers[Raw[_M]]:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""
        return cast("PhoneNumbers[Raw[_M]]", self._raw_twin())

    @endpoint
    def list(self) -> Request[builtins.list[PhoneNumber]]:
        """Every phone number of the account.

        for number in await client.phone_numbers.list():
            print(number.phone_number, number.label)
        """
        return Request("GET", "/phone-numbers", _list)

    @endpoint
    def update(
        self,
        phone_number_id: str,
        *,
        inbound_assistant_id: str | NotGiven | None = NOT_GIVEN,
        label: str | NotGiven | None = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Request[PhoneNumber]:
        """Set the assistant that answers the number, or its label; ``None`` clears either.

        await client.phone_numbers.update(number_id, inbound_assistant_id=assistant.id)
        """
        body = build_body(
            {"inbound_assistant_id": inbound_assistant_id, "label": label},
            _UPDATE,
            extra_body=extra_body,
        )
        path = f"/phone-numbers/{segment('phone_number_id', phone_number_id)}"
        return Request("PATCH", path, _one, body)

    @endpoint
    def delete(self, phone_number_id: str) -> Request[bool]:
        """Remove a number from the account.

        await client.phone_numbers.delete(number_id)
        """
        path = f"/phone-numbers/{segment('phone_number_id', phone_number_id)}"
        return Request("DELETE", path, decode_success, final_statuses=IN_USE)


_UPDATE = declared_types(PhoneNumbers.update.__wrapped__, "inbound_assistant_id", "label")


class Users(Resource[_M]):
    """The user behind the API key: ``client.users``."""

    @property
    def with_raw_response(self) -> Users[Raw[_M]]:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""
        return cast("Users[Raw[_M]]", self._raw_twin())

    @endpoint
    def me(self) -> Request[User]:
        """The user the API key belongs to, and their organisation.

        user = await client.users.me()
        print(user.email, user.organization_id)
        """
        return Request("GET", "/users/me", _user)
