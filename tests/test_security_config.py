"""Hostile input: configuration refused at construction, headers, pure decisions."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from multidict import CIMultiDict

import revox_async as rx
from revox_async import AsyncRevox, SyncRevox
from revox_async import _core as core
from revox_async._exceptions import MAX_KEPT_BODY_BYTES, TRUNCATION_MARKER
from tests.conftest import KEY

# -- base_url and api_key ----------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "http://user:s3cr3t-pw@api.test/api",
        "https://:s3cr3t-pw@api.test",
        "http://s3cr3t-pw@api.test",
        "http://[::1:s3cr3t-pw@h",
        "http://h:99999s3cr3t-pw",
    ],
)
def test_a_base_url_with_credentials_is_refused_without_echoing_them(base_url: str) -> None:
    """ValueError naming base_url; the password never appears in the message."""
    with pytest.raises(ValueError, match="base_url") as info:
        AsyncRevox(api_key=KEY, base_url=base_url)
    assert "s3cr3t" not in str(info.value)


@pytest.mark.parametrize(
    ("base_url", "why"),
    [
        ("http://", "with a host"),
        ("https://:443/api", "with a host"),
        ("ftp://api.test", "http"),
        ("api.test/api", "http"),
        ("http://api.test/api?x=1", "query"),
        ("http://api.test/api#top", "fragment"),
        ("http://api.test/ api", "spaces"),
        ("http://api.test/api\n", "control"),
    ],
)
def test_a_base_url_that_is_not_a_plain_http_url_is_refused(base_url: str, why: str) -> None:
    """No host, another scheme, a query or fragment, whitespace: ValueError saying which."""
    with pytest.raises(ValueError, match=f"base_url.*{why}"):
        AsyncRevox(api_key=KEY, base_url=base_url)


def test_a_base_url_that_is_not_a_string_is_a_type_error() -> None:
    """base_url=5 raises TypeError naming base_url."""
    with pytest.raises(TypeError, match="base_url: expected a string, got int"):
        AsyncRevox(api_key=KEY, base_url=5)  # type: ignore[arg-type]


def test_a_bad_base_url_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """REVOX_BASE_URL is checked the same way, and named."""
    monkeypatch.setenv("REVOX_BASE_URL", "http://u:s3cr3t-pw@api.test")
    with pytest.raises(ValueError, match="REVOX_BASE_URL") as info:
        SyncRevox(api_key=KEY)
    assert "s3cr3t" not in str(info.value)


@pytest.mark.parametrize(
    ("api_key", "error"),
    [
        (" ", ValueError),
        ("\t", ValueError),
        ("sk-s3cr3t ", ValueError),
        ("sk-s3cr3t\n", ValueError),
        ("sk-s3cr3t\x00", ValueError),
        ("sk-s3cr3té", ValueError),
        (12345, TypeError),
    ],
)
def test_a_blank_or_unprintable_api_key_is_refused_without_echoing_it(
    api_key: Any, error: type[Exception]
) -> None:
    """ValueError (or TypeError) naming api_key; the key never appears in the message."""
    with pytest.raises(error, match="api_key") as info:
        AsyncRevox(api_key=api_key)
    assert "s3cr3t" not in str(info.value)
    assert "12345" not in str(info.value)


def test_a_bad_api_key_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """REVOX_API_KEY=" " is refused too, naming the variable."""
    monkeypatch.setenv("REVOX_API_KEY", " ")
    with pytest.raises(ValueError, match="REVOX_API_KEY"):
        AsyncRevox()


def test_good_configuration_is_kept_as_given() -> None:
    """A plain URL with port and path, and an ordinary key, are accepted."""
    c = AsyncRevox(api_key="sk-live_AbC.123", base_url="HTTPS://Api.Test:8443/v1/api/")
    assert "HTTPS://Api.Test:8443/v1/api" == c.base_url


# -- headers -----------------------------------------------------------------------


def test_header_names_are_unique_in_any_case_and_the_last_wins() -> None:
    """RequestOptions keeps one header per case-insensitive name: the last one given."""
    options = core.RequestOptions(headers={"X-Trace": "a", "x-trace": "b", "X-Other": "c"})
    assert {"x-trace": "b", "X-Other": "c"} == options.headers


def test_the_options_headers_replace_the_sdks_in_any_case() -> None:
    """base_headers sends one Authorization, one User-Agent: the user's."""
    options = core.RequestOptions(headers={"authorization": "Basic x", "USER-AGENT": "me"})
    headers = core.base_headers(KEY, options)
    assert {"Accept": "application/json", "authorization": "Basic x", "USER-AGENT": "me"} == (
        headers
    )


def test_has_header_ignores_case() -> None:
    """idempotency-key is Idempotency-Key."""
    assert core.has_header({"idempotency-key": "k"}, "Idempotency-Key")
    assert not core.has_header({"Idempotency": "k"}, "Idempotency-Key")


def test_credentials_are_found_and_redacted_in_any_case() -> None:
    """The scrubbing helpers know Authorization, its token, cookies, in any case."""
    headers = {"AUTHORIZATION": f"Bearer {KEY}", "cookie": "c=1", "Accept": "*/*"}
    assert (f"Bearer {KEY}", KEY, "c=1") == core.header_secrets(headers)
    assert [
        ("AUTHORIZATION", "<redacted>"),
        ("cookie", "<redacted>"),
        ("Accept", "*/*"),
    ] == core.redact_headers(headers)


# -- redirects, decided without I/O --------------------------------------------------


def location(value: str) -> CIMultiDict[str]:
    return CIMultiDict({"location": value})


@pytest.mark.parametrize(
    ("location_", "expected"),
    [
        ("/api/v2/assistants", "https://api.test/api/v2/assistants"),
        ("v2", "https://api.test/api/v2"),
        ("https://API.test:443/x", "https://API.test:443/x"),
    ],
)
def test_a_get_is_redirected_within_its_origin(location_: str, expected: str) -> None:
    """Relative or absolute, with the default port spelled out or not: the same origin."""
    assert expected == core.redirect_target(
        method="GET",
        url="https://api.test/api/assistants",
        status=302,
        headers=location(location_),
        hops=0,
    )


@pytest.mark.parametrize(
    "location_",
    [
        "http://api.test/api/assistants",  # https to http
        "https://api.test:8443/api",  # another port
        "https://evil.test/api",
        "//evil.test/api",
        "https://api.test@evil.test/",
        "https://evil.test\\@api.test/",
        "https://api.test:99999/",
        "ftp://api.test/",
    ],
)
def test_a_get_is_not_redirected_to_another_origin(location_: str) -> None:
    """Another scheme, port or host, credentials or backslashes: APIStatusError."""
    with pytest.raises(rx.APIStatusError, match="another origin") as info:
        core.redirect_target(
            method="GET",
            url="https://api.test/api/assistants",
            status=307,
            headers=location(location_),
            hops=0,
        )
    assert repr(location_) in str(info.value)


# -- bodies kept on exceptions ---------------------------------------------------------


def test_an_error_body_over_64_KiB_is_kept_as_cut_text() -> None:
    """Over the cap, even JSON is not parsed: the text is cut with the marker."""
    content = b'{"message": "' + b"m" * MAX_KEPT_BODY_BYTES + b'"}'
    exc = core.status_error(
        status=500, headers={}, content=content, method="GET", url="u", retry_after=None
    )
    assert content[:MAX_KEPT_BODY_BYTES].decode() + TRUNCATION_MARKER == exc.body


def test_a_2xx_that_is_not_json_keeps_64_KiB_of_it() -> None:
    """APIResponseValidationError keeps at most 64 KiB of the text, then the marker."""
    with pytest.raises(rx.APIResponseValidationError) as info:
        core.decode_json(b"<" * (MAX_KEPT_BODY_BYTES + 1), status=200, method="GET", url="u")
    assert "<" * MAX_KEPT_BODY_BYTES + TRUNCATION_MARKER == info.value.body


def test_a_body_that_cannot_be_json_costs_only_the_part_kept() -> None:
    """8 MiB of HTML: no parser run, no decoded copy of the whole, under 1 MiB at peak."""
    content = b"<html>" * (8 * 2**20 // 6)
    tracemalloc.start()
    try:
        with pytest.raises(rx.APIResponseValidationError) as info:
            core.decode_json(content, status=200, method="GET", url="u")
        core.decode_error_body(content)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 2**20, peak
    assert "GET u returned 200 with a body that is not JSON" == str(info.value)


def test_a_parser_error_is_not_kept_with_the_whole_body() -> None:
    """The parser's error (orjson's holds the body in .doc) is neither cause nor context."""
    with pytest.raises(rx.APIResponseValidationError, match=r"not JSON \(.*char 1") as info:
        core.decode_json(b"{" + b"x" * 100_000, status=200, method="GET", url="u")
    assert (None, None) == (info.value.__cause__, info.value.__context__)
    assert "{" + "x" * (MAX_KEPT_BODY_BYTES - 1) + TRUNCATION_MARKER == info.value.body


@pytest.mark.parametrize(
    "content", [b" [1]", b'\n"s"', b"-1", b"true", b"null", b" " * 2000 + b"{}"]
)
def test_any_json_value_is_still_parsed(content: bytes) -> None:
    """The quick check lets every kind of JSON value through, and long leading whitespace."""
    assert core.loads(content) == core.decode_json(content, status=200, method="GET", url="u")


def test_text_bodies_are_cut_however_the_exception_was_built() -> None:
    """An exception given a long text body keeps 64 KiB of it; other bodies are kept as is."""
    long = "t" * (MAX_KEPT_BODY_BYTES + 10)
    exc = rx.APIStatusError("m", method="GET", url="u", status_code=500, headers={}, body=long)
    assert long[:MAX_KEPT_BODY_BYTES] + TRUNCATION_MARKER == exc.body
    data = {"assistants": ["x"] * 10}
    valid = rx.APIResponseValidationError("m", method="GET", url="u", status_code=200, body=data)
    assert data is valid.body
