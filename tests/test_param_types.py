"""Runtime parameter types come from their one declaration (a TypedDict, or the method)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any, Literal, TypedDict

import pytest

import revox_async as rx
from revox_async._converter import build_body
from revox_async._resources._params import declared_types, nullable_names
from revox_async._types import NotGiven

GROWN = """
import json
from revox_async._models.calls import CallCreateParams, CallFilterParams
from revox_async._models.campaigns import CampaignCreateParams
from revox_async._types import NotGiven
CallCreateParams.__annotations__["ring_timeout"] = int | NotGiven
CallFilterParams.__annotations__["tags"] = list[str] | NotGiven
CampaignCreateParams.__annotations__["timezone"] = str | NotGiven
from revox_async._resources.calls import call_body, search_body
from revox_async._resources.campaigns import PARAMS
from revox_async._converter import build_body
refused = []
for check in (
    lambda: call_body({"phone_number": "+3361", "assistant_id": "a", "ring_timeout": "x"}),
    lambda: search_body({"tags": "vip"}, page=1, page_size=1),
):
    try:
        check()
    except TypeError as exc:
        refused.append(str(exc))
print(json.dumps({
    "call": call_body({"phone_number": "+3361", "assistant_id": "a", "ring_timeout": 30}),
    "search": search_body({"tags": ["vip"]}, page=1, page_size=1)["tags"],
    "campaign": build_body({"timezone": "Europe/Paris"}, PARAMS)["timezone"],
    "refused": refused,
}))
"""


def test_a_field_added_to_a_params_typeddict_is_accepted_and_checked() -> None:
    """A key added to CallCreateParams, CallFilterParams or CampaignCreateParams is sent,
    and a wrong value for it refused naming it, with nothing else edited."""
    done = subprocess.run(
        [sys.executable, "-c", GROWN], capture_output=True, text=True, check=True, timeout=120
    )
    got = json.loads(done.stdout)
    assert 30 == got["call"]["ring_timeout"]
    assert (["vip"], "Europe/Paris") == (got["search"], got["campaign"])
    ring_timeout, tags = got["refused"]
    assert "invalid parameters: ring_timeout:" in ring_timeout
    assert "invalid parameters: tags:" in tags


class _Grown(TypedDict, total=False):
    label: str | NotGiven | None
    voice: rx.Voice | rx.VoiceParams | NotGiven
    mode: Literal["a", "b"] | NotGiven
    when: Any


def test_declared_types_drop_not_given_and_none_and_keep_the_model() -> None:
    """NotGiven and None leave the type; a model is kept over its Params twin."""
    expected = {"label": str, "voice": rx.Voice, "mode": Literal["a", "b"], "when": Any}
    assert expected == declared_types(_Grown)


def test_declared_types_pick_names_and_override_them() -> None:
    """Names pick some keys; a keyword gives a type of its own, or adds a name."""
    assert {"label": str, "page": int} == declared_types(_Grown, "label", page=int)
    assert {"mode": str} == declared_types(_Grown, "mode", mode=str)


def test_a_method_s_keywords_are_a_declaration_too() -> None:
    """phone_numbers.update's keywords are its parameter types: a wrong label is refused."""
    from revox_async._resources.phone_numbers import PhoneNumbers

    types = declared_types(PhoneNumbers.update.__wrapped__, "inbound_assistant_id", "label")
    assert {"inbound_assistant_id": str, "label": str} == types
    with pytest.raises(TypeError, match="label"):
        build_body({"label": 5}, types)


def test_nullable_names_are_those_whose_type_allows_none() -> None:
    """``None`` in a key's type is what lets it be sent as null."""
    assert {"label"} == nullable_names(_Grown)
    assert {"from_phone_number", "max_concurrent_calls", "call_retry_config"} == nullable_names(
        rx.CampaignUpdateParams
    )
