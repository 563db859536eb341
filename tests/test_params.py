"""Request validation: clear errors naming the field, before any I/O."""

from __future__ import annotations

import functools
import threading
from typing import Any

import pytest

import revox_async as rx
from revox_async._converter import build_body, request_converter, response_converter
from revox_async._params import _plain
from revox_async._resources.assistants import PARAMS
from revox_async._resources.calls import PARAMS as CALL_PARAMS

structure = response_converter.structure


def build_assistant_body(params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return build_body(params, PARAMS, **kwargs)


def create_body(**params: Any) -> dict[str, Any]:
    return build_assistant_body({"name": "n", "prompt": "p", **params}, required=("name", "prompt"))


def test_models_and_dicts_give_the_same_body() -> None:
    """A nested value may be a model or a plain dict."""
    as_models = create_body(
        voice=rx.Voice(id="v", provider="elevenlabs", speed=1.1),
        llm_model=rx.OpenRouterModel(openrouter_model_id="m", openrouter_provider="p"),
        faq_items=[rx.FaqItem(question="q", answer="a")],
        calendly=rx.Calendly(connection_id="c", event_type_id="e"),
        call_retry_config=rx.CallRetryConfig(
            calling_windows=[
                rx.CallingWindow(
                    calling_window_start_time="9am",
                    calling_window_end_time="17:30",
                    retry_delay_seconds=3600,
                )
            ],
            timezone="Europe/Paris",
        ),
        structured_output_config=[
            rx.StructuredOutputField(name="email", required=True, type="string")
        ],
    )
    as_dicts = create_body(
        voice={"id": "v", "provider": "elevenlabs", "speed": 1.1},
        llm_model={"type": "openrouter", "openrouter_model_id": "m", "openrouter_provider": "p"},
        faq_items=[{"question": "q", "answer": "a"}],
        calendly={"connection_id": "c", "event_type_id": "e"},
        call_retry_config={
            "calling_windows": [
                {
                    "calling_window_start_time": "9am",
                    "calling_window_end_time": "17:30",
                    "retry_delay_seconds": 3600,
                }
            ],
            "timezone": "Europe/Paris",
        },
        structured_output_config=[{"name": "email", "required": True, "type": "string"}],
    )
    assert as_models == as_dicts


def test_unknown_nested_keys_and_values_are_sent_as_given() -> None:
    """Keys and enum values the SDK does not know pass through untouched."""
    body = create_body(
        voice={"id": "v", "provider": "gradium", "model": "sonic-3.5"},
        llm_model={"type": "realtime", "provider": "openai", "realtime_model_id": "x"},
        first_sentence_mode="adaptive",
    )
    assert {"id": "v", "provider": "gradium", "model": "sonic-3.5"} == body["voice"]
    assert {"type": "realtime", "provider": "openai", "realtime_model_id": "x"} == body["llm_model"]
    assert "adaptive" == body["first_sentence_mode"]


def test_a_fetched_unknown_variant_is_sent_back_unchanged() -> None:
    """An UnknownLLMModel from a response round-trips into a request."""
    model = rx.UnknownLLMModel(type="mixture", extra_fields={"models": ["a"]})
    assert {"type": "mixture", "models": ["a"]} == create_body(llm_model=model)["llm_model"]


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"voice": {"provider": "cartesia"}}, TypeError, r"voice\.id: required field missing"),
        ({"voice": {"id": "v", "provider": "cartesia", "speed": "1"}}, TypeError, r"voice\.speed: expected a number"),
        ({"voice": {"id": "v", "provider": "cartesia", "speed": float("nan")}}, ValueError, r"voice\.speed: must be a finite number"),
        ({"max_call_duration_secs": "600"}, TypeError, "max_call_duration_secs: expected a number"),
        ({"max_call_duration_secs": float("nan")}, ValueError, "max_call_duration_secs: must be a finite number"),
        ({"max_call_duration_secs": float("-inf")}, ValueError, "max_call_duration_secs: must be a finite number"),
        ({"first_sentence_delay_ms": True}, TypeError, "first_sentence_delay_ms: expected an integer"),
        ({"first_sentence_delay_ms": 1.5}, TypeError, "first_sentence_delay_ms: expected an integer"),
        ({"first_sentence_delay_ms": 1e300}, ValueError, "first_sentence_delay_ms: outside the 64-bit integer range"),
        ({"first_sentence_delay_ms": 10**30}, ValueError, "first_sentence_delay_ms: outside the 64-bit integer range"),
        ({"call_retry_config": {"calling_windows": [], "max_retry_attempts": 2**64}}, ValueError, r"call_retry_config\.max_retry_attempts: outside"),
        ({"llm_model": {"type": "openrouter", "openrouter_model_id": "m"}}, TypeError, r"llm_model\.openrouter_provider: required"),
        ({"llm_model": {"name": "gpt-4.1"}}, TypeError, r"llm_model\.type: required"),
        ({"faq_items": [{"question": "q"}]}, TypeError, r"faq_items\[0\]\.answer: required"),
        ({"faq_items": {"question": "q", "answer": "a"}}, TypeError, "faq_items: expected an array"),
        ({"after_call_sms_outcomes": "interested"}, TypeError, "after_call_sms_outcomes: expected an array"),
        ({"custom_tools": [{"name": "t"}]}, TypeError, r"custom_tools\[0\]\.description: required"),
        ({"name": None}, TypeError, "name: may not be None"),
        ({"webhook_url": 5}, TypeError, "webhook_url: expected a string"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(
    params: dict[str, Any], error: type[Exception], message: str
) -> None:
    """Each problem raises TypeError (shape, type) or ValueError (value) with its path."""
    with pytest.raises(error, match=message):
        create_body(**params)


@pytest.mark.parametrize(
    "params",
    [
        {"transfer_phone_number": "06 12 34"},
        {"voice": {"id": "v", "provider": "cartesia", "speed": 2.0}},
        {"voice": {"id": "v", "provider": "elevenlabs", "speed": 0.65, "volume": 9}},
        {"max_call_duration_secs": -1},
        {"call_retry_config": {"calling_windows": [{"calling_window_start_time": "09:00:00", "calling_window_end_time": "6pm", "retry_delay_seconds": -5}], "max_retry_attempts": -1}},
        {"first_sentence_mode": "adaptive", "thinking_sound": "rain.ogg"},
    ],
)  # fmt: skip
def test_formats_ranges_and_enum_values_are_the_servers_to_judge(params: dict[str, Any]) -> None:
    """What a server sent back (or may accept tomorrow) is never refused by the SDK."""
    body = create_body(**params)
    assert params == {k: body[k] for k in params}


def test_a_fetched_assistant_can_be_sent_back() -> None:
    """Values the server returned pass the SDK's checks unchanged, whatever their format."""
    fetched = rx.CallRetryConfig(
        calling_windows=[
            rx.CallingWindow(
                calling_window_start_time="09:00:00",
                calling_window_end_time="18:00:00",
                retry_delay_seconds=7200,
            )
        ],
        allowed_days=["monday", "someday"],  # type: ignore[list-item]
    )
    assert rx.to_dict(fetched) == create_body(call_retry_config=fetched)["call_retry_config"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"x": [1, {"y": float("nan")}]}, r"extra_body\.x\[1\]\.y: must be a finite number"),
        ({"x": float("inf")}, r"extra_body\.x: must be a finite number"),
        ({"x": 10**30}, r"extra_body\.x: outside the 64-bit integer range"),
    ],
)
def test_numbers_json_cannot_carry_are_refused_in_extra_body(
    extra: dict[str, Any], message: str
) -> None:
    """extra_body is not typed, but NaN never becomes null on the wire (orjson's habit)."""
    with pytest.raises(ValueError, match=message):
        build_assistant_body({}, extra_body=extra)


def test_every_problem_is_reported_at_once() -> None:
    """Two bad fields, one error listing both."""
    with pytest.raises(TypeError) as info:
        create_body(webhook_url=1, voice={"provider": "x"})
    assert "webhook_url" in str(info.value)
    assert "voice.id" in str(info.value)


def test_required_params_are_checked() -> None:
    """create without a prompt says so."""
    with pytest.raises(TypeError, match="prompt: required parameter missing"):
        build_assistant_body({"name": "n"}, required=("name", "prompt"))


def test_a_typo_is_a_type_error_with_a_suggestion() -> None:
    """Unknown top-level keywords are refused, with the closest known name."""
    with pytest.raises(TypeError, match="did you mean 'voicemail_message'"):
        create_body(voicemail_mesage="hi")


def test_generators_are_accepted_for_lists() -> None:
    """Any iterable will do for list fields."""
    body = create_body(faq_items=({"question": q, "answer": "a"} for q in "xy"))
    assert ["x", "y"] == [item["question"] for item in body["faq_items"]]


def test_extra_body_must_be_a_mapping() -> None:
    """extra_body=[...] is a TypeError."""
    with pytest.raises(TypeError, match="extra_body"):
        build_assistant_body({}, extra_body=["x"])  # type: ignore[arg-type]


def test_not_given_is_falsy_and_named() -> None:
    """NOT_GIVEN reads well in reprs and conditions."""
    assert "NOT_GIVEN" == repr(rx.NOT_GIVEN)
    assert not rx.NOT_GIVEN


def test_without_orjson_the_body_never_carries_a_bare_nan() -> None:
    """The stdlib fallback refuses NaN (it would write invalid JSON) instead of sending it."""
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['orjson'] = None\n"
        "from revox_async import _core\n"
        "try:\n"
        "    _core.dumps({'x': float('nan')})\n"
        "except TypeError as exc:\n"
        "    print('refused:', exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.startswith("refused: the request body cannot be sent as JSON"), result


def _required_nullable_in_the_official_types() -> set[tuple[str, str]]:
    """Every ``(TypedDict name, key)`` the official client's request types mark
    ``Required[Optional[...]]``: keys the API wants present, ``null`` allowed."""
    import importlib
    import pkgutil
    import typing

    import revox.types
    import typing_extensions

    required = (typing.Required, typing_extensions.Required)
    found: set[tuple[str, str]] = set()
    for info in pkgutil.iter_modules(revox.types.__path__):
        if info.name.endswith("_params"):
            module = importlib.import_module(f"revox.types.{info.name}")
            for value in vars(module).values():
                if typing_extensions.is_typeddict(value) and value.__module__ == module.__name__:
                    hints = typing.get_type_hints(value, include_extras=True)
                    for key, hint in hints.items():
                        if typing.get_origin(hint) in required:
                            (inner,) = typing.get_args(hint)
                            if type(None) in typing.get_args(inner):
                                # call_create_params names the inline assistant's tool
                                # AssistantCustomTool
                                found.add((value.__name__.removeprefix("Assistant"), key))
    return found


def test_the_required_but_nullable_fields_are_the_official_types_ones() -> None:
    """The official 0.5.0 types mark one such field (in three places): a custom tool's
    body_template; our model marks the same, and nothing else."""
    import attrs

    assert {("CustomTool", "body_template")} == _required_nullable_in_the_official_types()
    marked = {
        (model.__name__, field.name)
        for model in map(functools.partial(getattr, rx), rx.__all__)  # lazy ones loaded too
        if isinstance(model, type) and attrs.has(model)
        for field in attrs.fields(model)
        if field.metadata.get("required_nullable")
    }
    assert {("CustomTool", "body_template")} == marked


TOOL = {"name": "t", "description": "d", "method": "GET", "url": "u", "headers": [],
        "query_params": [], "input_schema": []}  # fmt: skip


@pytest.mark.parametrize(
    "where",
    ["create", "update", "calls.create"],
)
def test_a_custom_tool_without_a_body_template_sends_null(where: str) -> None:
    """CustomTool(..., body_template=None), or left out: the key goes out as null, as the
    API requires it (a create, an update, an inline assistant of a call)."""
    from revox_async._models.assistants import NULLABLE_PARAMS
    from revox_async._resources.calls import call_body

    tool = rx.CustomTool(**TOOL)  # type: ignore[arg-type]
    if where == "calls.create":
        body = call_body(
            {"phone_number": "+33612345678", "assistant": {"prompt": "p", "custom_tools": [tool]}}
        )
        sent = body["assistant"]["custom_tools"]
    else:
        params = {
            "custom_tools": [tool],
            **({"name": "n", "prompt": "p"} if where == "create" else {}),
        }
        sent = build_body(params, PARAMS, nullable=NULLABLE_PARAMS)["custom_tools"]
    assert [{**TOOL, "body_template": None}] == sent
    assert rx.to_dict(tool) == TOOL  # to_dict still gives what is set, nothing more


def test_a_custom_tool_dict_without_its_body_template_is_refused() -> None:
    """A plain dict must carry the key (None sends null): the API would answer 400."""
    with pytest.raises(
        TypeError, match=r"custom_tools\[0\]\.body_template: required field missing"
    ):
        create_body(custom_tools=[TOOL])
    assert [{**TOOL, "body_template": None}] == create_body(
        custom_tools=[{**TOOL, "body_template": None}]
    )["custom_tools"]


ODD_ASSISTANT: dict[str, Any] = {
    "id": "a1", "name": "Desk", "prompt": "p", "max_call_duration_secs": "600",
    "voice": {"id": "v", "provider": "cartesia", "speed": "fast"},
    "llm_model": {"name": "gpt-4.1"},
    "custom_tools": [{"name": "t", "description": "d", "method": "GET", "url": "u", "input_schema": []}],
}  # fmt: skip
"""An assistant as a server that breaks its own contract sends it."""


def test_values_from_the_server_are_sent_back_as_they_came() -> None:
    """A model the server returned is its own authority: passed back, its odd values go
    out as they came (a word for a number, a variant with no type, a tool missing keys)."""
    fetched = structure(ODD_ASSISTANT, rx.Assistant)
    body = create_body(
        voice=fetched.voice, llm_model=fetched.llm_model, custom_tools=fetched.custom_tools
    )
    assert {"id": "v", "provider": "cartesia", "speed": "fast"} == body["voice"]
    assert {"name": "gpt-4.1"} == body["llm_model"]
    assert [{**ODD_ASSISTANT["custom_tools"][0], "body_template": None}] == body["custom_tools"]


def test_values_typed_in_code_are_still_checked() -> None:
    """A model built in code, or a server's model in a dict of one's own, is checked."""
    with pytest.raises(TypeError, match=r"voice\.speed: expected a number"):
        create_body(voice=rx.Voice(id="v", provider="cartesia", speed="fast"))  # type: ignore[arg-type]
    fetched = structure(ODD_ASSISTANT, rx.Assistant)
    with pytest.raises(TypeError, match=r"custom_tools\[1\]\.url: expected a string"):
        create_body(custom_tools=[*fetched.custom_tools, {**TOOL, "url": 5, "body_template": None}])


def test_a_model_from_the_server_is_refused_where_another_type_belongs() -> None:
    """A fetched model given for a parameter of another type (the assistant for its id,
    its voice for ``stt_context``) is refused naming the parameter, not sent as an object."""
    fetched = structure(ODD_ASSISTANT, rx.Assistant)
    call = {"phone_number": "+1", "assistant_id": fetched}
    with pytest.raises(TypeError) as as_id:
        build_body(call, CALL_PARAMS, required=("phone_number",))
    with pytest.raises(TypeError) as as_text:
        create_body(name=fetched)
    with pytest.raises(TypeError) as as_other_model:
        create_body(stt_context=fetched.voice)
    assert [
        "invalid parameters: assistant_id: expected a string, got Assistant (pass its .id)",
        "invalid parameters: name: expected a string, got Assistant",
        "invalid parameters: stt_context: expected SttContext, got Voice",
    ] == [str(as_id.value), str(as_text.value), str(as_other_model.value)]
    assert {"name": "gpt-4.1"} == create_body(llm_model=fetched.llm_model)["llm_model"]


PLAIN_CASES = [
    ("voice", {"id": "v", "provider": "cartesia", "speed": 1}),
    ("voice", {"id": "v", "provider": "cartesia", "speed": 1.5, "pitch": "unknown key"}),
    ("voice", {"id": "v", "provider": "cartesia", "speed": float("nan")}),
    ("voice", {"id": "v", "provider": "cartesia", "speed": "fast"}),
    ("voice", {"id": "v", "provider": "cartesia", "speed": 2**63}),
    ("voice", {"id": "v", "provider": "cartesia", "speed": True}),
    ("voice", {"id": "v", "speed": 1.0}),
    ("voice", {"id": None, "provider": "cartesia"}),
    ("voice", ["v"]),
    ("llm_model", {"type": "openrouter", "openrouter_model_id": "m", "openrouter_provider": "p"}),
    ("llm_model", {"type": "openrouter", "openrouter_model_id": 1, "openrouter_provider": "p"}),
    ("llm_model", {"type": "mixture", "models": ["a"]}),
    ("llm_model", {"openrouter_model_id": "m"}),
    ("first_sentence_delay_ms", 400),
    ("first_sentence_delay_ms", 400.0),
    ("first_sentence_delay_ms", -(2**63) - 1),
    ("first_sentence_delay_ms", False),
    ("max_call_duration_secs", 600),
    ("max_call_duration_secs", float("inf")),
    ("ivr_navigation_enabled", 1),
    ("stt_model", "stt-rt-v9"),
    ("after_call_sms_outcomes", ["interested", "a new outcome"]),
    ("after_call_sms_outcomes", ["interested", None]),
    ("after_call_sms_outcomes", "interested"),
    ("faq_items", [{"question": "q", "answer": "a"}, {"question": "q"}]),
    ("faq_items", [{"question": "q", "answer": "a"}]),
    ("custom_tools", [{**TOOL, "body_template": None}]),
    ("custom_tools", [TOOL]),
    ("call_retry_config", {"calling_windows": [{"calling_window_start_time": "9"}]}),
    ("call_retry_config", {"calling_windows": [], "allowed_days": ["monday"], "timezone": None}),
    ("position", {"x": 1, "y": 2.5}),
]


@pytest.mark.parametrize(("name", "value"), PLAIN_CASES)
def test_a_value_taken_as_plain_json_passes_the_full_check(name: str, value: Any) -> None:
    """The one-pass check of plain JSON takes only what the full check takes."""
    try:
        request_converter.structure(value, PARAMS[name])
    except Exception:
        valid = False
    else:
        valid = True
    assert valid or not _plain(PARAMS[name])(value)


@pytest.mark.parametrize(
    ("name", "value"), [PLAIN_CASES[i] for i in (0, 1, 9, 13, 17, 20, 21, 25, 26, 29, 30)]
)
def test_the_usual_values_are_taken_as_plain_json(name: str, value: Any) -> None:
    """Dicts, lists and leaves of the declared types are sent as given, nothing converted."""
    assert _plain(PARAMS[name])(value)
    assert {"name": "n", "prompt": "p", name: value} == create_body(**{name: value})


def test_a_models_check_is_never_seen_half_made_by_another_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two threads' first checks of one model: the second never takes a bad last field
    for an unknown key (it was sent unchecked, a NaN as null)."""
    from revox_async import _params

    check = _params._plain_model(rx.Voice)
    made_first = threading.Event()
    other_done = threading.Event()
    real_plain = _params._plain

    def slow_plain(tp: Any) -> Any:  # the first thread stalls while making the table
        if threading.current_thread().name == "first" and tp == float | None:
            made_first.set()
            other_done.wait(5)
        return real_plain(tp)

    monkeypatch.setattr(_params, "_plain", slow_plain)
    first = threading.Thread(target=check, args=({"id": "v", "provider": "p"},), name="first")
    first.start()
    assert made_first.wait(5)
    bad = {"id": "v", "provider": "cartesia", "volume": float("nan")}
    taken = check(bad)
    other_done.set()
    first.join(5)
    assert taken is False


@pytest.mark.parametrize("tag", [["openrouter"], {"a": 1}, {1, 2}])
def test_an_llm_model_type_that_is_no_string_is_refused_by_name(tag: Any) -> None:
    """llm_model={"type": [...]}: "invalid parameters: llm_model: ...", not a bare TypeError."""
    with pytest.raises(TypeError, match=r"^invalid parameters: llm_model"):
        create_body(llm_model={"type": tag, "openrouter_model_id": "m"})


def test_equal_timestamp_texts_share_a_value_no_one_can_change() -> None:
    """Two objects read from one timestamp text: setting .raw on one is refused."""
    one, two = (
        response_converter.structure({"id": "c", "created_at": "2026-12-01T10:00:00Z"}, rx.Call)
        for _ in range(2)
    )
    with pytest.raises(AttributeError):
        one.created_at.raw = "X"  # type: ignore[union-attr]
    assert "2026-12-01T10:00:00Z" == rx.to_dict(two)["created_at"]
