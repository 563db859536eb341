"""The pure core: no event loop, no mocks."""

from __future__ import annotations

from email.utils import formatdate
from typing import Any

import pytest
from multidict import CIMultiDict

import revox_async as rx
from revox_async import _core as core


def headers(**values: str) -> CIMultiDict[str]:
    return CIMultiDict({k.replace("_", "-"): v for k, v in values.items()})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (headers(retry_after="2"), 2.0),
        (headers(retry_after="0.5"), 0.5),
        (headers(Retry_After="7"), 7.0),
        (headers(retry_after_ms="250"), 0.25),
        (headers(retry_after_ms="junk", retry_after="3"), 3.0),
        (headers(retry_after_ms="-5", retry_after="3"), 3.0),
        (headers(retry_after="-1"), None),
        (headers(retry_after="nan"), None),
        (headers(retry_after="soon"), None),
        (headers(), None),
        (headers(retry_after=formatdate(1_000_030, usegmt=True)), 30.0),
        (headers(retry_after=formatdate(999_000, usegmt=True)), 0.0),
    ],
)
def test_parse_retry_after(given: CIMultiDict[str], expected: float | None) -> None:
    """Seconds, fractions, milliseconds and HTTP dates; nonsense is ignored."""
    assert expected == core.parse_retry_after(given, now=1_000_000)


@pytest.mark.parametrize(
    ("retries", "rand", "expected"),
    [(0, 0.0, 0.5), (1, 0.0, 1.0), (2, 1.0, 1.5), (10, 0.0, 8.0), (10, 1.0, 6.0)],
)
def test_backoff_doubles_and_is_capped(retries: int, rand: float, expected: float) -> None:
    """0.5 s doubling to 8 s, with up to 25 % taken off at random."""
    assert expected == core.backoff_delay(retries, rand)


@pytest.mark.parametrize(
    ("status", "retryable"), [(408, True), (409, True), (429, True), (500, True), (599, True),
                              (400, False), (401, False), (404, False), (422, False)],
)  # fmt: skip
def test_which_statuses_are_retried(status: int, retryable: bool) -> None:
    """408, 409, 429 and 5xx only."""
    assert retryable == core.is_retryable_status(status)


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b'{"message": "bad voice"}', "bad voice"),
        (b'{"error": "Unauthorized"}', "Unauthorized"),
        (b'{"error": {"message": "nested"}}', "nested"),
        (b'{"detail": "d"}', "d"),
        (b"<html>  Bad\n gateway </html>", "<html> Bad gateway </html>"),
        (b"", None),
        (b'{"code": 7}', None),
    ],
)
def test_status_errors_carry_a_short_detail(content: bytes, detail: str | None) -> None:
    """The message says what the server said, briefly; the body is kept whole."""
    exc = core.status_error(
        status=400, headers={}, content=content, method="GET", url="u", retry_after=None
    )
    assert isinstance(exc, rx.BadRequestError)
    if detail is None:
        assert "GET u returned 400" == str(exc)
    else:
        assert f"GET u returned 400: {detail}" == str(exc)


def test_long_text_bodies_are_shortened_in_the_message() -> None:
    """A 10 kB HTML page does not flood the message."""
    exc = core.status_error(
        status=502, headers={}, content=b"x" * 10_000, method="GET", url="u", retry_after=None
    )
    assert len(str(exc)) < 300
    assert 10_000 == len(exc.body)


@pytest.mark.parametrize(
    ("value", "error"),
    [("", ValueError), (".", ValueError), ("..", ValueError), (None, TypeError), (5, TypeError)],
)
def test_path_segment_refuses_what_cannot_stay_one_segment(
    value: Any, error: type[Exception]
) -> None:
    """Empty, dot segments and non-strings are refused, naming the parameter."""
    with pytest.raises(error, match="assistant_id"):
        core.path_segment("assistant_id", value)


def test_path_segment_encodes_everything_that_could_escape() -> None:
    """Slashes, dots, queries and spaces stay inside one segment."""
    assert "a%2F..%2Fb%3Fc%20d%23e" == core.path_segment("id", "a/../b?c d#e")
    assert "...%2F." == core.path_segment("id", ".../.")


def test_request_options_are_frozen_values() -> None:
    """Options change by evolving, never in place."""
    options = core.RequestOptions()
    with pytest.raises(AttributeError):
        options.timeout = 1  # type: ignore[misc]
    assert (60.0, 5.0, 2, {}) == (
        options.timeout,
        options.connect_timeout,
        options.max_retries,
        dict(options.headers),
    )


def test_json_round_trips() -> None:
    """dumps gives compact UTF-8 bytes that loads reads back."""
    data = {"name": "Café", "n": [1, 2.5, None, True]}
    assert data == core.loads(core.dumps(data))
    assert isinstance(core.dumps(data), bytes)
