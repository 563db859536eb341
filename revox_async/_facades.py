"""What editors and type checkers see of a client's resources. Generated: do not edit.

``python scripts/gen_facades.py`` writes this file from the endpoint declarations in
``revox_async/_resources``; ``tests/test_editors.py`` fails when it is out of date, and
mypy checks at the end of this file that every resource conforms to its facades.

Each endpoint is declared once and reached in four forms (async, sync, and each one's
``with_raw_response``). mypy and pyright follow that from the declaration; jedi, the
engine of python-lsp-server and of vim's and emacs' completion, expands neither
``**params: Unpack[...]`` nor the descriptor's overloads. These protocols spell each
form out, so every editor offers the keyword arguments and knows what comes back.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import builtins
    from collections.abc import (
        AsyncIterable,
        AsyncIterator,
        Awaitable,
        Callable,
        Iterable,
        Iterator,
        Mapping,
    )
    from datetime import datetime
    from os import PathLike
    from pathlib import Path

    from revox_async import (
        Assistant,
        BatchItem,
        BatchResult,
        BatchStream,
        Calendly,
        CalendlyParams,
        Call,
        CallConcurrencyParams,
        CallPage,
        CallRetryConfig,
        CallRetryConfigParams,
        Campaign,
        CampaignContactParams,
        CampaignRow,
        CampaignStatistics,
        ClonedVoice,
        CsvExport,
        CustomModel,
        CustomModelParams,
        CustomTool,
        CustomToolParams,
        DedicatedInstanceModel,
        DedicatedInstanceModelParams,
        FaqItem,
        FaqItemParams,
        InlineAssistantParams,
        LaunchResult,
        NotGiven,
        OpenRouterModel,
        OpenRouterModelParams,
        PhoneHistory,
        PhoneNumber,
        Position,
        PositionParams,
        PromptFlow,
        PromptFlowParams,
        RawResponse,
        RealtimeModel,
        RealtimeModelParams,
        SelectionParams,
        Slack,
        SlackParams,
        StructuredOutputField,
        StructuredOutputFieldParams,
        SttContext,
        SttContextParams,
        TransferDestination,
        TransferDestinationParams,
        UnknownLLMModel,
        User,
        Voice,
        VoiceInfo,
        VoiceParams,
        Zoho,
        ZohoParams,
    )
    from revox_async._endpoint import Async, Raw, Sync
    from revox_async._journal import Journal
    from revox_async._resources.assistants import Assistants
    from revox_async._resources.calls import Calls
    from revox_async._resources.campaigns import Campaigns
    from revox_async._resources.phone_numbers import PhoneNumbers, Users
    from revox_async._resources.voices import Voices

__all__ = [
    "AsyncAssistants",
    "AsyncAssistantsRaw",
    "AsyncCalls",
    "AsyncCallsRaw",
    "AsyncCampaigns",
    "AsyncCampaignsRaw",
    "AsyncPhoneNumbers",
    "AsyncPhoneNumbersRaw",
    "AsyncUsers",
    "AsyncUsersRaw",
    "AsyncVoices",
    "AsyncVoicesRaw",
    "SyncAssistants",
    "SyncAssistantsRaw",
    "SyncCalls",
    "SyncCallsRaw",
    "SyncCampaigns",
    "SyncCampaignsRaw",
    "SyncPhoneNumbers",
    "SyncPhoneNumbersRaw",
    "SyncUsers",
    "SyncUsersRaw",
    "SyncVoices",
    "SyncVoicesRaw",
]


class AsyncAssistants(Protocol):
    """``AsyncRevox().assistants``."""

    @property
    def with_raw_response(self) -> AsyncAssistantsRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def create(
        self,
        *,
        name: str,
        prompt: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[Assistant]:
        """Create an assistant; ``name`` and ``prompt`` are required.

            assistant = await client.assistants.create(
                name="Front desk",
                prompt="You book appointments for a dental clinic.",
                voice={"id": "79a125e8", "provider": "cartesia"},
                llm_model=OpenRouterModel(openrouter_model_id="openai/gpt-4.1",
                                          openrouter_provider="openai"),
            )

        Every POST carries an ``Idempotency-Key``, the same across retries;
        pass ``idempotency_key`` to choose it. A later run re-sent with that key is
        safe only on a server that honours keys (the live API does not promise to);
        an attempt whose outcome is unknown is looked for before it is sent again.
        ``extra_body`` sends top-level fields this SDK does not know yet.
        """

    def retrieve(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[Assistant]:
        """Fetch one assistant by id.

        assistant = await client.assistants.retrieve("asst_123")
        """

    def update(
        self,
        assistant_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        name: str | NotGiven = ...,
        prompt: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[Assistant]:
        """Change only the fields given; ``None`` sends ``null``.

            await client.assistants.update(aid, name="Night desk", voicemail_message=None)

        sends ``{"name": "Night desk", "voicemail_message": null}`` and nothing
        else. When calls already placed keep their old settings, the result's
        ``unpatched_calls_notice`` says how many.
        """

    def clone(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[Assistant]:
        """Copy an assistant, FAQ items included; the copy's name ends in "(Copy)".

        copy = await client.assistants.clone(aid)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[builtins.list[Assistant]]:
        """Every assistant of the account (the API does not paginate).

        for assistant in await client.assistants.list():
            print(assistant.id, assistant.name)
        """

    def delete(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Delete an assistant for good; ``True`` when the server confirms.

        await client.assistants.delete(aid)
        """

    def create_many(
        self,
        params: Iterable[Mapping[str, Any] | Assistant]
        | AsyncIterable[Mapping[str, Any] | Assistant],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        on_progress: Callable[[int, int | None, BatchItem], object] | None = None,
        journal: str | Path | None = None,
    ) -> Awaitable[BatchResult]:
        """Create many assistants concurrently; every input gets a result, in order.

            result = await client.assistants.create_many(
                ({"name": row["name"], "prompt": row["prompt"]} for row in rows),
                concurrency=16,
                journal="stores.journal.jsonl",
            )
            for item in result.errors:
                print(item.index, item.error)

        ``params`` is any iterable or async iterable of ``create()`` keyword
        dicts (or ``Assistant`` objects to copy), read lazily. At most
        ``concurrency`` requests are in flight; ``rate_limit`` caps attempts
        per second. Each row is created at most once, even by a server that
        ignores ``Idempotency-Key``: after an attempt whose outcome is unknown
        the batch lists the assistants (once for every row waiting) before
        sending again. A 401/403, a 404 or a ``Retry-After`` beyond the cap
        stops the batch (``BatchResult.stopped``); the rest are ``not_sent``.
        ``journal`` (a path) records each row's key and outcome as it happens;
        running again with the same journal and input finishes the job.
        ``on_progress(done, total, item)`` is called as each item finishes. If
        the input or ``on_progress`` raises, the rows in flight finish and
        ``BatchAbortedError`` carries the partial ``result``.
        Cancelling the call cancels the requests in flight (the journal keeps
        the record). See docs/bulk.md.
        """

    def create_many_iter(
        self,
        params: Iterable[Mapping[str, Any] | Assistant]
        | AsyncIterable[Mapping[str, Any] | Assistant],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: str | Path | Journal | None = None,
    ) -> BatchStream:
        """``create_many``, streamed (``AsyncRevox`` only): yields each ``BatchItem`` as it
        finishes.

            async for item in client.assistants.create_many_iter(rows, journal="j.jsonl"):
                print(item.index, item.status)

        Items come in completion order and nothing is kept: memory stays flat
        however long the input. Leaving the loop early stops the batch; so does
        ``stream.stop()`` (no new row; those in flight finish and are yielded), and
        ``stream.stopped`` then says why an answer stopped it. ``journal`` may be a
        `Journal` already open (the CLI opens it first, to report what it holds).
        See docs/bulk.md.
        """


class AsyncAssistantsRaw(Protocol):
    """``AsyncRevox().assistants.with_raw_response``."""

    def create(
        self,
        *,
        name: str,
        prompt: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Assistant]]:
        """Create an assistant; ``name`` and ``prompt`` are required.

            assistant = await client.assistants.create(
                name="Front desk",
                prompt="You book appointments for a dental clinic.",
                voice={"id": "79a125e8", "provider": "cartesia"},
                llm_model=OpenRouterModel(openrouter_model_id="openai/gpt-4.1",
                                          openrouter_provider="openai"),
            )

        Every POST carries an ``Idempotency-Key``, the same across retries;
        pass ``idempotency_key`` to choose it. A later run re-sent with that key is
        safe only on a server that honours keys (the live API does not promise to);
        an attempt whose outcome is unknown is looked for before it is sent again.
        ``extra_body`` sends top-level fields this SDK does not know yet.
        """

    def retrieve(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Assistant]]:
        """Fetch one assistant by id.

        assistant = await client.assistants.retrieve("asst_123")
        """

    def update(
        self,
        assistant_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        name: str | NotGiven = ...,
        prompt: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Assistant]]:
        """Change only the fields given; ``None`` sends ``null``.

            await client.assistants.update(aid, name="Night desk", voicemail_message=None)

        sends ``{"name": "Night desk", "voicemail_message": null}`` and nothing
        else. When calls already placed keep their old settings, the result's
        ``unpatched_calls_notice`` says how many.
        """

    def clone(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Assistant]]:
        """Copy an assistant, FAQ items included; the copy's name ends in "(Copy)".

        copy = await client.assistants.clone(aid)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[builtins.list[Assistant]]]:
        """Every assistant of the account (the API does not paginate).

        for assistant in await client.assistants.list():
            print(assistant.id, assistant.name)
        """

    def delete(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Delete an assistant for good; ``True`` when the server confirms.

        await client.assistants.delete(aid)
        """


class SyncAssistants(Protocol):
    """``SyncRevox().assistants``."""

    @property
    def with_raw_response(self) -> SyncAssistantsRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def create(
        self,
        *,
        name: str,
        prompt: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Assistant:
        """Create an assistant; ``name`` and ``prompt`` are required.

            assistant = client.assistants.create(
                name="Front desk",
                prompt="You book appointments for a dental clinic.",
                voice={"id": "79a125e8", "provider": "cartesia"},
                llm_model=OpenRouterModel(openrouter_model_id="openai/gpt-4.1",
                                          openrouter_provider="openai"),
            )

        Every POST carries an ``Idempotency-Key``, the same across retries;
        pass ``idempotency_key`` to choose it. A later run re-sent with that key is
        safe only on a server that honours keys (the live API does not promise to);
        an attempt whose outcome is unknown is looked for before it is sent again.
        ``extra_body`` sends top-level fields this SDK does not know yet.
        """

    def retrieve(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Assistant:
        """Fetch one assistant by id.

        assistant = client.assistants.retrieve("asst_123")
        """

    def update(
        self,
        assistant_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        name: str | NotGiven = ...,
        prompt: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Assistant:
        """Change only the fields given; ``None`` sends ``null``.

            client.assistants.update(aid, name="Night desk", voicemail_message=None)

        sends ``{"name": "Night desk", "voicemail_message": null}`` and nothing
        else. When calls already placed keep their old settings, the result's
        ``unpatched_calls_notice`` says how many.
        """

    def clone(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Assistant:
        """Copy an assistant, FAQ items included; the copy's name ends in "(Copy)".

        copy = client.assistants.clone(aid)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> builtins.list[Assistant]:
        """Every assistant of the account (the API does not paginate).

        for assistant in client.assistants.list():
            print(assistant.id, assistant.name)
        """

    def delete(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Delete an assistant for good; ``True`` when the server confirms.

        client.assistants.delete(aid)
        """

    def create_many(
        self,
        params: Iterable[Mapping[str, Any] | Assistant]
        | AsyncIterable[Mapping[str, Any] | Assistant],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        on_progress: Callable[[int, int | None, BatchItem], object] | None = None,
        journal: str | Path | None = None,
    ) -> BatchResult:
        """Create many assistants concurrently; every input gets a result, in order.

            result = client.assistants.create_many(
                ({"name": row["name"], "prompt": row["prompt"]} for row in rows),
                concurrency=16,
                journal="stores.journal.jsonl",
            )
            for item in result.errors:
                print(item.index, item.error)

        ``params`` is any iterable or async iterable of ``create()`` keyword
        dicts (or ``Assistant`` objects to copy), read lazily. At most
        ``concurrency`` requests are in flight; ``rate_limit`` caps attempts
        per second. Each row is created at most once, even by a server that
        ignores ``Idempotency-Key``: after an attempt whose outcome is unknown
        the batch lists the assistants (once for every row waiting) before
        sending again. A 401/403, a 404 or a ``Retry-After`` beyond the cap
        stops the batch (``BatchResult.stopped``); the rest are ``not_sent``.
        ``journal`` (a path) records each row's key and outcome as it happens;
        running again with the same journal and input finishes the job.
        ``on_progress(done, total, item)`` is called as each item finishes. If
        the input or ``on_progress`` raises, the rows in flight finish and
        ``BatchAbortedError`` carries the partial ``result``.
        Cancelling the call cancels the requests in flight (the journal keeps
        the record). See docs/bulk.md.
        """


class SyncAssistantsRaw(Protocol):
    """``SyncRevox().assistants.with_raw_response``."""

    def create(
        self,
        *,
        name: str,
        prompt: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> RawResponse[Assistant]:
        """Create an assistant; ``name`` and ``prompt`` are required.

            assistant = client.assistants.create(
                name="Front desk",
                prompt="You book appointments for a dental clinic.",
                voice={"id": "79a125e8", "provider": "cartesia"},
                llm_model=OpenRouterModel(openrouter_model_id="openai/gpt-4.1",
                                          openrouter_provider="openai"),
            )

        Every POST carries an ``Idempotency-Key``, the same across retries;
        pass ``idempotency_key`` to choose it. A later run re-sent with that key is
        safe only on a server that honours keys (the live API does not promise to);
        an attempt whose outcome is unknown is looked for before it is sent again.
        ``extra_body`` sends top-level fields this SDK does not know yet.
        """

    def retrieve(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[Assistant]:
        """Fetch one assistant by id.

        assistant = client.assistants.retrieve("asst_123")
        """

    def update(
        self,
        assistant_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        type: Literal["standalone", "multi-step", "sub-assistant"] | NotGiven = ...,
        voice: Voice | VoiceParams | NotGiven = ...,
        llm_model: DedicatedInstanceModel
        | OpenRouterModel
        | CustomModel
        | RealtimeModel
        | UnknownLLMModel
        | DedicatedInstanceModelParams
        | OpenRouterModelParams
        | CustomModelParams
        | RealtimeModelParams
        | NotGiven = ...,
        stt_model: Literal["stt-rt-v4", "stt-rt-v5"] | NotGiven = ...,
        stt_context: SttContext | SttContextParams | NotGiven | None = ...,
        first_sentence: str | NotGiven = ...,
        first_sentence_mode: Literal["generated", "static", "none"] | NotGiven = ...,
        first_sentence_delay_ms: int | NotGiven = ...,
        end_of_call_sentence: str | NotGiven = ...,
        max_call_duration_secs: float | NotGiven = ...,
        max_duration_end_message: str | NotGiven | None = ...,
        voicemail_message: str | NotGiven | None = ...,
        background_sound: Literal["audio/office.ogg"] | NotGiven | None = ...,
        background_sound_volume: float | NotGiven = ...,
        thinking_sound: Literal[
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        ]
        | NotGiven
        | None = ...,
        thinking_sound_probability: float | NotGiven = ...,
        thinking_sound_volume: float | NotGiven = ...,
        webhook_url: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        transfer_phone_number: str | NotGiven | None = ...,
        transfer_destinations: builtins.list[TransferDestination | TransferDestinationParams]
        | NotGiven
        | None = ...,
        human_transfer_mode: Literal["warm", "cold"] | NotGiven | None = ...,
        warm_transfer_summary_instructions: str | NotGiven | None = ...,
        ivr_navigation_enabled: bool | NotGiven = ...,
        sms_enabled: bool | NotGiven = ...,
        sms_template: str | NotGiven | None = ...,
        voicemail_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_prompt: str | NotGiven | None = ...,
        after_call_sms_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        email_notification_address: str | NotGiven | None = ...,
        email_notification_outcomes: builtins.list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ]
        | NotGiven
        | None = ...,
        slack: Slack | SlackParams | NotGiven | None = ...,
        zoho: Zoho | ZohoParams | NotGiven | None = ...,
        calendly: Calendly | CalendlyParams | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        custom_tools: builtins.list[CustomTool | CustomToolParams] | NotGiven | None = ...,
        structured_output_config: builtins.list[StructuredOutputField | StructuredOutputFieldParams]
        | NotGiven = ...,
        structured_output_prompt: str | NotGiven | None = ...,
        faq_items: builtins.list[FaqItem | FaqItemParams] | NotGiven = ...,
        cartesia_dictionary_pronunciation_id: str | NotGiven | None = ...,
        precall_lookup_url: str | NotGiven | None = ...,
        logo_url: str | NotGiven | None = ...,
        position: Position | PositionParams | NotGiven | None = ...,
        prompt_flow: PromptFlow | PromptFlowParams | NotGiven | None = ...,
        name: str | NotGiven = ...,
        prompt: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> RawResponse[Assistant]:
        """Change only the fields given; ``None`` sends ``null``.

            client.assistants.update(aid, name="Night desk", voicemail_message=None)

        sends ``{"name": "Night desk", "voicemail_message": null}`` and nothing
        else. When calls already placed keep their old settings, the result's
        ``unpatched_calls_notice`` says how many.
        """

    def clone(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[Assistant]:
        """Copy an assistant, FAQ items included; the copy's name ends in "(Copy)".

        copy = client.assistants.clone(aid)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[builtins.list[Assistant]]:
        """Every assistant of the account (the API does not paginate).

        for assistant in client.assistants.list():
            print(assistant.id, assistant.name)
        """

    def delete(
        self,
        assistant_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Delete an assistant for good; ``True`` when the server confirms.

        client.assistants.delete(aid)
        """


class AsyncCalls(Protocol):
    """``AsyncRevox().calls``."""

    @property
    def with_raw_response(self) -> AsyncCallsRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def create(
        self,
        *,
        phone_number: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        assistant_id: str | NotGiven = ...,
        assistant: InlineAssistantParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        prompt_variables: dict[str, str] | NotGiven = ...,
        metadata: dict[str, str] | NotGiven = ...,
        scheduled_at: datetime | str | NotGiven = ...,
        skip_calling_window: bool | NotGiven = ...,
        concurrency: CallConcurrencyParams | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[Call]:
        """Place a call to ``phone_number`` (E.164) with an assistant, now or at ``scheduled_at``.

            call = await client.calls.create(
                phone_number="+33612345678",
                assistant_id=assistant.id,
                prompt_variables={"first_name": "Ada"},
                metadata={"crm_id": "42"},
            )

        Give ``assistant_id`` or an inline ``assistant`` (its create parameters,
        ``prompt`` required). ``scheduled_at`` is a timezone-aware ``datetime``
        or ISO 8601 text. The call carries its idempotency key in
        ``metadata["revox_async_key"]`` (your own metadata is kept). After an
        attempt whose outcome is unknown (a 5xx, a timeout, a dropped
        connection) it waits ``outcome_window``, then searches the calls to
        that number for the key before dialling again, so a server ignoring
        ``Idempotency-Key`` never dials twice; past ``create_deadline`` it raises
        ``OutcomeUnknownError`` (with ``.idempotency_key``) rather than dial again.
        Given your own ``idempotency_key``, it first searches that number's calls
        for one made with it: ``create`` again with that error's key settles it.
        """

    def retrieve(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[Call]:
        """Fetch a call: its status, attempts, transcript and outcome.

        call = await client.calls.retrieve(call_id)
        """

    def cancel(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Cancel a running or scheduled call (an attempt in progress finishes).

        await client.calls.cancel(call_id)
        """

    def pause(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Stop new attempts of a call; ``resume`` continues it.

        await client.calls.pause(call_id)
        """

    def resume(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Let a paused call make attempts again.

        await client.calls.resume(call_id)
        """

    def search_page(
        self,
        *,
        page: int = 1,
        page_size: int = 50,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[CallPage]:
        """One page of calls matching the filters, with ``total_count``; the first page is 1.

            first = await client.calls.search_page(statuses=["completed"], page_size=20)
            print(first.total_count, [c.id for c in first.calls])

        Every filter left out matches everything. ``page`` is sent as given (``0``
        too: the server decides what it means); ``search`` reads every page,
        wherever the server's pages start.
        """

    def search(
        self,
        *,
        page_size: int = 50,
        limit: int | None = None,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
    ) -> AsyncIterator[Call]:
        """Every call matching the filters, page after page (see `Pages` for when it stops).

            async for call in client.calls.search(statuses=["completed"]):
                print(call.id, call.outcome)

        With ``SyncRevox`` it is a plain iterator (``for call in ...``). ``limit``
        stops after that many calls. Pages are fetched as the loop asks.
        """

    def export(
        self,
        *,
        include_metadata: bool | None = None,
        include_structured_output_fields: bool | None = None,
        page: int = 1,
        page_size: int = 100,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[CsvExport]:
        """The calls matching the filters as CSV (``.csv`` text, ``.save()`` to a file).

            export = await client.calls.export(statuses=["completed"], include_metadata=True)
            export.save("completed.csv")

        The API requires ``page`` and ``page_size`` among the filters and does
        not say whether the export honours them; check the row count against
        ``search_page(...).total_count`` if it matters.
        """

    def phone_history(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[dict[str, PhoneHistory]]:
        """What the organisation's calls to each number came to, keyed by number.

        history = await client.calls.phone_history()
        print(history["+33612345678"].reached_human)
        """

    def create_many(
        self,
        params: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        on_progress: Callable[[int, int | None, BatchItem], object] | None = None,
        journal: str | Path | None = None,
        allow_repeat_numbers: bool = False,
    ) -> Awaitable[BatchResult]:
        """Place many calls concurrently; every input gets a result, in order.

            result = await client.calls.create_many(
                (
                    {"phone_number": c["phone"], "assistant_id": aid,
                     "prompt_variables": {"first_name": c["first_name"]}}
                    for c in contacts
                ),
                concurrency=4,
                journal="contacts.journal.jsonl",
            )
            for item in result.errors:
                print(item.index, item.error)

        ``params`` is any iterable or async iterable of ``create()`` keyword
        dicts, read lazily; a bad row fails as its own item, before any
        request. Each call is placed at most once, as ``create`` places one (a
        row whose metadata already uses ``revox_async_key`` is refused).
        ``concurrency``, ``rate_limit``, ``journal``, ``on_progress`` and
        stopping work as for ``assistants.create_many`` (see docs/bulk.md);
        ``result.calls`` holds the calls placed. The same
        number (compared as dialled) twice in one input fails at its second
        row unless ``allow_repeat_numbers=True``: calling a person twice must be
        a choice, not a spreadsheet accident.
        """

    def create_many_iter(
        self,
        params: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        journal: str | Path | Journal | None = None,
        allow_repeat_numbers: bool = False,
    ) -> BatchStream:
        """``create_many``, streamed (``AsyncRevox`` only): yields each ``BatchItem`` as it
        finishes, as ``assistants.create_many_iter`` does (see docs/bulk.md).

            async for item in client.calls.create_many_iter(rows, journal="j.jsonl"):
                print(item.index, item.status, item.created_id)
        """

    def wait(
        self,
        call_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
    ) -> Awaitable[Call]:
        """Poll a call until it ends (completed, cancelled or errored); return the final call.

            call = await client.calls.create(phone_number="+33612345678", assistant_id=aid)
            done = await client.calls.wait(call.id, timeout=600)
            for turn in done.transcript:
                print(turn.role, turn.content)

        Polls every ``poll_interval`` seconds, growing by half each time up to
        ``max_interval``. After ``timeout`` seconds it raises
        `WaitTimeoutError`, whose ``.call`` is the last state seen (``None`` if no
        answer came). The deadline covers requests in flight too (with their
        retries); the poll at the deadline gets `LAST_POLL` seconds. A call
        that is paused or not launched keeps it waiting.
        """


class AsyncCallsRaw(Protocol):
    """``AsyncRevox().calls.with_raw_response``."""

    def create(
        self,
        *,
        phone_number: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        assistant_id: str | NotGiven = ...,
        assistant: InlineAssistantParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        prompt_variables: dict[str, str] | NotGiven = ...,
        metadata: dict[str, str] | NotGiven = ...,
        scheduled_at: datetime | str | NotGiven = ...,
        skip_calling_window: bool | NotGiven = ...,
        concurrency: CallConcurrencyParams | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Call]]:
        """Place a call to ``phone_number`` (E.164) with an assistant, now or at ``scheduled_at``.

            call = await client.calls.create(
                phone_number="+33612345678",
                assistant_id=assistant.id,
                prompt_variables={"first_name": "Ada"},
                metadata={"crm_id": "42"},
            )

        Give ``assistant_id`` or an inline ``assistant`` (its create parameters,
        ``prompt`` required). ``scheduled_at`` is a timezone-aware ``datetime``
        or ISO 8601 text. The call carries its idempotency key in
        ``metadata["revox_async_key"]`` (your own metadata is kept). After an
        attempt whose outcome is unknown (a 5xx, a timeout, a dropped
        connection) it waits ``outcome_window``, then searches the calls to
        that number for the key before dialling again, so a server ignoring
        ``Idempotency-Key`` never dials twice; past ``create_deadline`` it raises
        ``OutcomeUnknownError`` (with ``.idempotency_key``) rather than dial again.
        Given your own ``idempotency_key``, it first searches that number's calls
        for one made with it: ``create`` again with that error's key settles it.
        """

    def retrieve(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Call]]:
        """Fetch a call: its status, attempts, transcript and outcome.

        call = await client.calls.retrieve(call_id)
        """

    def cancel(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Cancel a running or scheduled call (an attempt in progress finishes).

        await client.calls.cancel(call_id)
        """

    def pause(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Stop new attempts of a call; ``resume`` continues it.

        await client.calls.pause(call_id)
        """

    def resume(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Let a paused call make attempts again.

        await client.calls.resume(call_id)
        """

    def search_page(
        self,
        *,
        page: int = 1,
        page_size: int = 50,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[CallPage]]:
        """One page of calls matching the filters, with ``total_count``; the first page is 1.

            first = await client.calls.search_page(statuses=["completed"], page_size=20)
            print(first.total_count, [c.id for c in first.calls])

        Every filter left out matches everything. ``page`` is sent as given (``0``
        too: the server decides what it means); ``search`` reads every page,
        wherever the server's pages start.
        """

    def export(
        self,
        *,
        include_metadata: bool | None = None,
        include_structured_output_fields: bool | None = None,
        page: int = 1,
        page_size: int = 100,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[CsvExport]]:
        """The calls matching the filters as CSV (``.csv`` text, ``.save()`` to a file).

            export = await client.calls.export(statuses=["completed"], include_metadata=True)
            export.save("completed.csv")

        The API requires ``page`` and ``page_size`` among the filters and does
        not say whether the export honours them; check the row count against
        ``search_page(...).total_count`` if it matters.
        """

    def phone_history(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[dict[str, PhoneHistory]]]:
        """What the organisation's calls to each number came to, keyed by number.

        history = await client.calls.phone_history()
        print(history["+33612345678"].reached_human)
        """


class SyncCalls(Protocol):
    """``SyncRevox().calls``."""

    @property
    def with_raw_response(self) -> SyncCallsRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def create(
        self,
        *,
        phone_number: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        assistant_id: str | NotGiven = ...,
        assistant: InlineAssistantParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        prompt_variables: dict[str, str] | NotGiven = ...,
        metadata: dict[str, str] | NotGiven = ...,
        scheduled_at: datetime | str | NotGiven = ...,
        skip_calling_window: bool | NotGiven = ...,
        concurrency: CallConcurrencyParams | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Call:
        """Place a call to ``phone_number`` (E.164) with an assistant, now or at ``scheduled_at``.

            call = client.calls.create(
                phone_number="+33612345678",
                assistant_id=assistant.id,
                prompt_variables={"first_name": "Ada"},
                metadata={"crm_id": "42"},
            )

        Give ``assistant_id`` or an inline ``assistant`` (its create parameters,
        ``prompt`` required). ``scheduled_at`` is a timezone-aware ``datetime``
        or ISO 8601 text. The call carries its idempotency key in
        ``metadata["revox_async_key"]`` (your own metadata is kept). After an
        attempt whose outcome is unknown (a 5xx, a timeout, a dropped
        connection) it waits ``outcome_window``, then searches the calls to
        that number for the key before dialling again, so a server ignoring
        ``Idempotency-Key`` never dials twice; past ``create_deadline`` it raises
        ``OutcomeUnknownError`` (with ``.idempotency_key``) rather than dial again.
        Given your own ``idempotency_key``, it first searches that number's calls
        for one made with it: ``create`` again with that error's key settles it.
        """

    def retrieve(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Call:
        """Fetch a call: its status, attempts, transcript and outcome.

        call = client.calls.retrieve(call_id)
        """

    def cancel(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Cancel a running or scheduled call (an attempt in progress finishes).

        client.calls.cancel(call_id)
        """

    def pause(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Stop new attempts of a call; ``resume`` continues it.

        client.calls.pause(call_id)
        """

    def resume(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Let a paused call make attempts again.

        client.calls.resume(call_id)
        """

    def search_page(
        self,
        *,
        page: int = 1,
        page_size: int = 50,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> CallPage:
        """One page of calls matching the filters, with ``total_count``; the first page is 1.

            first = client.calls.search_page(statuses=["completed"], page_size=20)
            print(first.total_count, [c.id for c in first.calls])

        Every filter left out matches everything. ``page`` is sent as given (``0``
        too: the server decides what it means); ``search`` reads every page,
        wherever the server's pages start.
        """

    def search(
        self,
        *,
        page_size: int = 50,
        limit: int | None = None,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
    ) -> Iterator[Call]:
        """Every call matching the filters, page after page (see `Pages` for when it stops).

            for call in client.calls.search(statuses=["completed"]):
                print(call.id, call.outcome)

        With ``SyncRevox`` it is a plain iterator (``for call in ...``). ``limit``
        stops after that many calls. Pages are fetched as the loop asks.
        """

    def export(
        self,
        *,
        include_metadata: bool | None = None,
        include_structured_output_fields: bool | None = None,
        page: int = 1,
        page_size: int = 100,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> CsvExport:
        """The calls matching the filters as CSV (``.csv`` text, ``.save()`` to a file).

            export = client.calls.export(statuses=["completed"], include_metadata=True)
            export.save("completed.csv")

        The API requires ``page`` and ``page_size`` among the filters and does
        not say whether the export honours them; check the row count against
        ``search_page(...).total_count`` if it matters.
        """

    def phone_history(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> dict[str, PhoneHistory]:
        """What the organisation's calls to each number came to, keyed by number.

        history = client.calls.phone_history()
        print(history["+33612345678"].reached_human)
        """

    def create_many(
        self,
        params: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate_limit: float | None = None,
        on_progress: Callable[[int, int | None, BatchItem], object] | None = None,
        journal: str | Path | None = None,
        allow_repeat_numbers: bool = False,
    ) -> BatchResult:
        """Place many calls concurrently; every input gets a result, in order.

            result = client.calls.create_many(
                (
                    {"phone_number": c["phone"], "assistant_id": aid,
                     "prompt_variables": {"first_name": c["first_name"]}}
                    for c in contacts
                ),
                concurrency=4,
                journal="contacts.journal.jsonl",
            )
            for item in result.errors:
                print(item.index, item.error)

        ``params`` is any iterable or async iterable of ``create()`` keyword
        dicts, read lazily; a bad row fails as its own item, before any
        request. Each call is placed at most once, as ``create`` places one (a
        row whose metadata already uses ``revox_async_key`` is refused).
        ``concurrency``, ``rate_limit``, ``journal``, ``on_progress`` and
        stopping work as for ``assistants.create_many`` (see docs/bulk.md);
        ``result.calls`` holds the calls placed. The same
        number (compared as dialled) twice in one input fails at its second
        row unless ``allow_repeat_numbers=True``: calling a person twice must be
        a choice, not a spreadsheet accident.
        """

    def wait(
        self,
        call_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
    ) -> Call:
        """Poll a call until it ends (completed, cancelled or errored); return the final call.

            call = client.calls.create(phone_number="+33612345678", assistant_id=aid)
            done = client.calls.wait(call.id, timeout=600)
            for turn in done.transcript:
                print(turn.role, turn.content)

        Polls every ``poll_interval`` seconds, growing by half each time up to
        ``max_interval``. After ``timeout`` seconds it raises
        `WaitTimeoutError`, whose ``.call`` is the last state seen (``None`` if no
        answer came). The deadline covers requests in flight too (with their
        retries); the poll at the deadline gets `LAST_POLL` seconds. A call
        that is paused or not launched keeps it waiting.
        """


class SyncCallsRaw(Protocol):
    """``SyncRevox().calls.with_raw_response``."""

    def create(
        self,
        *,
        phone_number: str,
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        assistant_id: str | NotGiven = ...,
        assistant: InlineAssistantParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        prompt_variables: dict[str, str] | NotGiven = ...,
        metadata: dict[str, str] | NotGiven = ...,
        scheduled_at: datetime | str | NotGiven = ...,
        skip_calling_window: bool | NotGiven = ...,
        concurrency: CallConcurrencyParams | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> RawResponse[Call]:
        """Place a call to ``phone_number`` (E.164) with an assistant, now or at ``scheduled_at``.

            call = client.calls.create(
                phone_number="+33612345678",
                assistant_id=assistant.id,
                prompt_variables={"first_name": "Ada"},
                metadata={"crm_id": "42"},
            )

        Give ``assistant_id`` or an inline ``assistant`` (its create parameters,
        ``prompt`` required). ``scheduled_at`` is a timezone-aware ``datetime``
        or ISO 8601 text. The call carries its idempotency key in
        ``metadata["revox_async_key"]`` (your own metadata is kept). After an
        attempt whose outcome is unknown (a 5xx, a timeout, a dropped
        connection) it waits ``outcome_window``, then searches the calls to
        that number for the key before dialling again, so a server ignoring
        ``Idempotency-Key`` never dials twice; past ``create_deadline`` it raises
        ``OutcomeUnknownError`` (with ``.idempotency_key``) rather than dial again.
        Given your own ``idempotency_key``, it first searches that number's calls
        for one made with it: ``create`` again with that error's key settles it.
        """

    def retrieve(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[Call]:
        """Fetch a call: its status, attempts, transcript and outcome.

        call = client.calls.retrieve(call_id)
        """

    def cancel(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Cancel a running or scheduled call (an attempt in progress finishes).

        client.calls.cancel(call_id)
        """

    def pause(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Stop new attempts of a call; ``resume`` continues it.

        client.calls.pause(call_id)
        """

    def resume(
        self,
        call_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Let a paused call make attempts again.

        client.calls.resume(call_id)
        """

    def search_page(
        self,
        *,
        page: int = 1,
        page_size: int = 50,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[CallPage]:
        """One page of calls matching the filters, with ``total_count``; the first page is 1.

            first = client.calls.search_page(statuses=["completed"], page_size=20)
            print(first.total_count, [c.id for c in first.calls])

        Every filter left out matches everything. ``page`` is sent as given (``0``
        too: the server decides what it means); ``search`` reads every page,
        wherever the server's pages start.
        """

    def export(
        self,
        *,
        include_metadata: bool | None = None,
        include_structured_output_fields: bool | None = None,
        page: int = 1,
        page_size: int = 100,
        statuses: list[
            Literal[
                "initializing",
                "queued_for_calling",
                "calling",
                "post_processing",
                "not_launched",
                "scheduled",
                "paused",
                "completed",
                "cancelled",
                "errored",
            ]
        ] = ...,
        assistant_ids: list[str] = ...,
        campaign_ids: list[str] = ...,
        assignee_ids: list[str] = ...,
        directions: list[Literal["inbound", "outbound"]] = ...,
        from_phone_numbers: list[str] = ...,
        outcomes: list[
            Literal["not_interested", "interested", "completed", "requested_callback_later", "none"]
        ] = ...,
        results: list[
            Literal["IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none"]
        ] = ...,
        call_ids: list[str] | NotGiven = ...,
        query: str | NotGiven = ...,
        sort_by: str | NotGiven = ...,
        sort_direction: Literal["asc", "desc"] | NotGiven = ...,
        to_phone_number: str | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[CsvExport]:
        """The calls matching the filters as CSV (``.csv`` text, ``.save()`` to a file).

            export = client.calls.export(statuses=["completed"], include_metadata=True)
            export.save("completed.csv")

        The API requires ``page`` and ``page_size`` among the filters and does
        not say whether the export honours them; check the row count against
        ``search_page(...).total_count`` if it matters.
        """

    def phone_history(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[dict[str, PhoneHistory]]:
        """What the organisation's calls to each number came to, keyed by number.

        history = client.calls.phone_history()
        print(history["+33612345678"].reached_human)
        """


class AsyncCampaigns(Protocol):
    """``AsyncRevox().campaigns``."""

    @property
    def with_raw_response(self) -> AsyncCampaignsRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def create(
        self,
        *,
        name: str,
        assistant_id: str,
        contacts: builtins.list[CampaignContactParams],
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        max_concurrent_calls: float | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[Campaign]:
        """Create a campaign; each contact becomes a row, ``not_launched`` until ``launch``.

            campaign = await client.campaigns.create(
                name="Spring follow-up",
                assistant_id=assistant.id,
                contacts=[{"to_phone_number": "+33612345678",
                           "prompt_variables": {"first_name": "Ada"}}],
            )

        Nothing is dialled yet. A POST whose outcome is unknown is checked
        (the campaigns are listed) before it is sent again.
        """

    def retrieve(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[Campaign]:
        """Fetch a campaign, with its row and funnel counts.

        campaign = await client.campaigns.retrieve(campaign_id)
        """

    def update(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        name: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        max_concurrent_calls: float | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[Campaign]:
        """Change the fields given (for calls not completed yet); ``None`` clears one.

        await client.campaigns.update(campaign_id, max_concurrent_calls=5)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[builtins.list[Campaign]]:
        """Every campaign of the account (the API does not paginate).

        for campaign in await client.campaigns.list():
            print(campaign.id, campaign.status)
        """

    def delete(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Delete a campaign and its rows.

        await client.campaigns.delete(campaign_id)
        """

    def cancel(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Cancel pending and queued calls (calls in progress finish; rows are kept).

        await client.campaigns.cancel(campaign_id)
        """

    def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Pause a campaign; ``resume`` continues it.

        await client.campaigns.pause(campaign_id)
        """

    def resume(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Resume a paused campaign.

        await client.campaigns.resume(campaign_id)
        """

    def launch(
        self,
        campaign_id: str,
        *,
        mode: Literal["ai_first", "speed_dial"] = "ai_first",
        selection: SelectionParams | Mapping[str, Any] | None = None,
        scheduled_at: datetime | str | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[LaunchResult]:
        """Start calling the campaign's rows (all of them unless ``selection`` says).

            result = await client.campaigns.launch(campaign_id)
            print(result.launched, result.skipped)

        ``selection`` is ``{"filters": {...}, "rows": {"call_ids": [...], "mode":
        "only" | "all_except"}}``; missing parts select everything, so
        ``{"rows": {"call_ids": [call_id], "mode": "only"}}`` dials one row.
        ``scheduled_at`` (``ai_first`` only)
        starts later. Rows already being dialled, or with no attempts left,
        are skipped.
        """

    def rows(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[builtins.list[CampaignRow]]:
        """Every row of the campaign, with its call.

        for row in await client.campaigns.rows(campaign_id):
            print(row.phone_number, row.call.status if row.call else None)
        """

    def export(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[CsvExport]:
        """The campaign's rows as CSV (``.csv`` text, ``.save()`` to a file).

        (await client.campaigns.export(campaign_id)).save("campaign.csv")
        """

    def statistics(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[CampaignStatistics]:
        """The campaign's funnel, effort and leads.

        stats = await client.campaigns.statistics(campaign_id)
        print(stats.funnel.reached.count, stats.funnel.reached.pct_of_called)
        """


class AsyncCampaignsRaw(Protocol):
    """``AsyncRevox().campaigns.with_raw_response``."""

    def create(
        self,
        *,
        name: str,
        assistant_id: str,
        contacts: builtins.list[CampaignContactParams],
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        max_concurrent_calls: float | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Campaign]]:
        """Create a campaign; each contact becomes a row, ``not_launched`` until ``launch``.

            campaign = await client.campaigns.create(
                name="Spring follow-up",
                assistant_id=assistant.id,
                contacts=[{"to_phone_number": "+33612345678",
                           "prompt_variables": {"first_name": "Ada"}}],
            )

        Nothing is dialled yet. A POST whose outcome is unknown is checked
        (the campaigns are listed) before it is sent again.
        """

    def retrieve(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Campaign]]:
        """Fetch a campaign, with its row and funnel counts.

        campaign = await client.campaigns.retrieve(campaign_id)
        """

    def update(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        name: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        max_concurrent_calls: float | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[Campaign]]:
        """Change the fields given (for calls not completed yet); ``None`` clears one.

        await client.campaigns.update(campaign_id, max_concurrent_calls=5)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[builtins.list[Campaign]]]:
        """Every campaign of the account (the API does not paginate).

        for campaign in await client.campaigns.list():
            print(campaign.id, campaign.status)
        """

    def delete(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Delete a campaign and its rows.

        await client.campaigns.delete(campaign_id)
        """

    def cancel(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Cancel pending and queued calls (calls in progress finish; rows are kept).

        await client.campaigns.cancel(campaign_id)
        """

    def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Pause a campaign; ``resume`` continues it.

        await client.campaigns.pause(campaign_id)
        """

    def resume(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Resume a paused campaign.

        await client.campaigns.resume(campaign_id)
        """

    def launch(
        self,
        campaign_id: str,
        *,
        mode: Literal["ai_first", "speed_dial"] = "ai_first",
        selection: SelectionParams | Mapping[str, Any] | None = None,
        scheduled_at: datetime | str | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[LaunchResult]]:
        """Start calling the campaign's rows (all of them unless ``selection`` says).

            result = await client.campaigns.launch(campaign_id)
            print(result.launched, result.skipped)

        ``selection`` is ``{"filters": {...}, "rows": {"call_ids": [...], "mode":
        "only" | "all_except"}}``; missing parts select everything, so
        ``{"rows": {"call_ids": [call_id], "mode": "only"}}`` dials one row.
        ``scheduled_at`` (``ai_first`` only)
        starts later. Rows already being dialled, or with no attempts left,
        are skipped.
        """

    def rows(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[builtins.list[CampaignRow]]]:
        """Every row of the campaign, with its call.

        for row in await client.campaigns.rows(campaign_id):
            print(row.phone_number, row.call.status if row.call else None)
        """

    def export(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[CsvExport]]:
        """The campaign's rows as CSV (``.csv`` text, ``.save()`` to a file).

        (await client.campaigns.export(campaign_id)).save("campaign.csv")
        """

    def statistics(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[CampaignStatistics]]:
        """The campaign's funnel, effort and leads.

        stats = await client.campaigns.statistics(campaign_id)
        print(stats.funnel.reached.count, stats.funnel.reached.pct_of_called)
        """


class SyncCampaigns(Protocol):
    """``SyncRevox().campaigns``."""

    @property
    def with_raw_response(self) -> SyncCampaignsRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def create(
        self,
        *,
        name: str,
        assistant_id: str,
        contacts: builtins.list[CampaignContactParams],
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        max_concurrent_calls: float | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Campaign:
        """Create a campaign; each contact becomes a row, ``not_launched`` until ``launch``.

            campaign = client.campaigns.create(
                name="Spring follow-up",
                assistant_id=assistant.id,
                contacts=[{"to_phone_number": "+33612345678",
                           "prompt_variables": {"first_name": "Ada"}}],
            )

        Nothing is dialled yet. A POST whose outcome is unknown is checked
        (the campaigns are listed) before it is sent again.
        """

    def retrieve(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Campaign:
        """Fetch a campaign, with its row and funnel counts.

        campaign = client.campaigns.retrieve(campaign_id)
        """

    def update(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        name: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        max_concurrent_calls: float | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Campaign:
        """Change the fields given (for calls not completed yet); ``None`` clears one.

        client.campaigns.update(campaign_id, max_concurrent_calls=5)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> builtins.list[Campaign]:
        """Every campaign of the account (the API does not paginate).

        for campaign in client.campaigns.list():
            print(campaign.id, campaign.status)
        """

    def delete(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Delete a campaign and its rows.

        client.campaigns.delete(campaign_id)
        """

    def cancel(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Cancel pending and queued calls (calls in progress finish; rows are kept).

        client.campaigns.cancel(campaign_id)
        """

    def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Pause a campaign; ``resume`` continues it.

        client.campaigns.pause(campaign_id)
        """

    def resume(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Resume a paused campaign.

        client.campaigns.resume(campaign_id)
        """

    def launch(
        self,
        campaign_id: str,
        *,
        mode: Literal["ai_first", "speed_dial"] = "ai_first",
        selection: SelectionParams | Mapping[str, Any] | None = None,
        scheduled_at: datetime | str | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> LaunchResult:
        """Start calling the campaign's rows (all of them unless ``selection`` says).

            result = client.campaigns.launch(campaign_id)
            print(result.launched, result.skipped)

        ``selection`` is ``{"filters": {...}, "rows": {"call_ids": [...], "mode":
        "only" | "all_except"}}``; missing parts select everything, so
        ``{"rows": {"call_ids": [call_id], "mode": "only"}}`` dials one row.
        ``scheduled_at`` (``ai_first`` only)
        starts later. Rows already being dialled, or with no attempts left,
        are skipped.
        """

    def rows(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> builtins.list[CampaignRow]:
        """Every row of the campaign, with its call.

        for row in client.campaigns.rows(campaign_id):
            print(row.phone_number, row.call.status if row.call else None)
        """

    def export(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> CsvExport:
        """The campaign's rows as CSV (``.csv`` text, ``.save()`` to a file).

        (client.campaigns.export(campaign_id)).save("campaign.csv")
        """

    def statistics(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> CampaignStatistics:
        """The campaign's funnel, effort and leads.

        stats = client.campaigns.statistics(campaign_id)
        print(stats.funnel.reached.count, stats.funnel.reached.pct_of_called)
        """


class SyncCampaignsRaw(Protocol):
    """``SyncRevox().campaigns.with_raw_response``."""

    def create(
        self,
        *,
        name: str,
        assistant_id: str,
        contacts: builtins.list[CampaignContactParams],
        idempotency_key: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven = ...,
        from_phone_number: str | NotGiven = ...,
        max_concurrent_calls: float | NotGiven = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> RawResponse[Campaign]:
        """Create a campaign; each contact becomes a row, ``not_launched`` until ``launch``.

            campaign = client.campaigns.create(
                name="Spring follow-up",
                assistant_id=assistant.id,
                contacts=[{"to_phone_number": "+33612345678",
                           "prompt_variables": {"first_name": "Ada"}}],
            )

        Nothing is dialled yet. A POST whose outcome is unknown is checked
        (the campaigns are listed) before it is sent again.
        """

    def retrieve(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[Campaign]:
        """Fetch a campaign, with its row and funnel counts.

        campaign = client.campaigns.retrieve(campaign_id)
        """

    def update(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        name: str | NotGiven = ...,
        from_phone_number: str | NotGiven | None = ...,
        max_concurrent_calls: float | NotGiven | None = ...,
        call_retry_config: CallRetryConfig | CallRetryConfigParams | NotGiven | None = ...,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> RawResponse[Campaign]:
        """Change the fields given (for calls not completed yet); ``None`` clears one.

        client.campaigns.update(campaign_id, max_concurrent_calls=5)
        """

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[builtins.list[Campaign]]:
        """Every campaign of the account (the API does not paginate).

        for campaign in client.campaigns.list():
            print(campaign.id, campaign.status)
        """

    def delete(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Delete a campaign and its rows.

        client.campaigns.delete(campaign_id)
        """

    def cancel(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Cancel pending and queued calls (calls in progress finish; rows are kept).

        client.campaigns.cancel(campaign_id)
        """

    def pause(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Pause a campaign; ``resume`` continues it.

        client.campaigns.pause(campaign_id)
        """

    def resume(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Resume a paused campaign.

        client.campaigns.resume(campaign_id)
        """

    def launch(
        self,
        campaign_id: str,
        *,
        mode: Literal["ai_first", "speed_dial"] = "ai_first",
        selection: SelectionParams | Mapping[str, Any] | None = None,
        scheduled_at: datetime | str | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[LaunchResult]:
        """Start calling the campaign's rows (all of them unless ``selection`` says).

            result = client.campaigns.launch(campaign_id)
            print(result.launched, result.skipped)

        ``selection`` is ``{"filters": {...}, "rows": {"call_ids": [...], "mode":
        "only" | "all_except"}}``; missing parts select everything, so
        ``{"rows": {"call_ids": [call_id], "mode": "only"}}`` dials one row.
        ``scheduled_at`` (``ai_first`` only)
        starts later. Rows already being dialled, or with no attempts left,
        are skipped.
        """

    def rows(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[builtins.list[CampaignRow]]:
        """Every row of the campaign, with its call.

        for row in client.campaigns.rows(campaign_id):
            print(row.phone_number, row.call.status if row.call else None)
        """

    def export(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[CsvExport]:
        """The campaign's rows as CSV (``.csv`` text, ``.save()`` to a file).

        (client.campaigns.export(campaign_id)).save("campaign.csv")
        """

    def statistics(
        self,
        campaign_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[CampaignStatistics]:
        """The campaign's funnel, effort and leads.

        stats = client.campaigns.statistics(campaign_id)
        print(stats.funnel.reached.count, stats.funnel.reached.pct_of_called)
        """


class AsyncPhoneNumbers(Protocol):
    """``AsyncRevox().phone_numbers``."""

    @property
    def with_raw_response(self) -> AsyncPhoneNumbersRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[builtins.list[PhoneNumber]]:
        """Every phone number of the account.

        for number in await client.phone_numbers.list():
            print(number.phone_number, number.label)
        """

    def update(
        self,
        phone_number_id: str,
        *,
        inbound_assistant_id: str | NotGiven | None = ...,
        label: str | NotGiven | None = ...,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[PhoneNumber]:
        """Set the assistant that answers the number, or its label; ``None`` clears either.

        await client.phone_numbers.update(number_id, inbound_assistant_id=assistant.id)
        """

    def delete(
        self,
        phone_number_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Remove a number from the account.

        await client.phone_numbers.delete(number_id)
        """


class AsyncPhoneNumbersRaw(Protocol):
    """``AsyncRevox().phone_numbers.with_raw_response``."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[builtins.list[PhoneNumber]]]:
        """Every phone number of the account.

        for number in await client.phone_numbers.list():
            print(number.phone_number, number.label)
        """

    def update(
        self,
        phone_number_id: str,
        *,
        inbound_assistant_id: str | NotGiven | None = ...,
        label: str | NotGiven | None = ...,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[PhoneNumber]]:
        """Set the assistant that answers the number, or its label; ``None`` clears either.

        await client.phone_numbers.update(number_id, inbound_assistant_id=assistant.id)
        """

    def delete(
        self,
        phone_number_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Remove a number from the account.

        await client.phone_numbers.delete(number_id)
        """


class SyncPhoneNumbers(Protocol):
    """``SyncRevox().phone_numbers``."""

    @property
    def with_raw_response(self) -> SyncPhoneNumbersRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> builtins.list[PhoneNumber]:
        """Every phone number of the account.

        for number in client.phone_numbers.list():
            print(number.phone_number, number.label)
        """

    def update(
        self,
        phone_number_id: str,
        *,
        inbound_assistant_id: str | NotGiven | None = ...,
        label: str | NotGiven | None = ...,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> PhoneNumber:
        """Set the assistant that answers the number, or its label; ``None`` clears either.

        client.phone_numbers.update(number_id, inbound_assistant_id=assistant.id)
        """

    def delete(
        self,
        phone_number_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Remove a number from the account.

        client.phone_numbers.delete(number_id)
        """


class SyncPhoneNumbersRaw(Protocol):
    """``SyncRevox().phone_numbers.with_raw_response``."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[builtins.list[PhoneNumber]]:
        """Every phone number of the account.

        for number in client.phone_numbers.list():
            print(number.phone_number, number.label)
        """

    def update(
        self,
        phone_number_id: str,
        *,
        inbound_assistant_id: str | NotGiven | None = ...,
        label: str | NotGiven | None = ...,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
    ) -> RawResponse[PhoneNumber]:
        """Set the assistant that answers the number, or its label; ``None`` clears either.

        client.phone_numbers.update(number_id, inbound_assistant_id=assistant.id)
        """

    def delete(
        self,
        phone_number_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Remove a number from the account.

        client.phone_numbers.delete(number_id)
        """


class AsyncUsers(Protocol):
    """``AsyncRevox().users``."""

    @property
    def with_raw_response(self) -> AsyncUsersRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def me(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[User]:
        """The user the API key belongs to, and their organisation.

        user = await client.users.me()
        print(user.email, user.organization_id)
        """


class AsyncUsersRaw(Protocol):
    """``AsyncRevox().users.with_raw_response``."""

    def me(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[User]]:
        """The user the API key belongs to, and their organisation.

        user = await client.users.me()
        print(user.email, user.organization_id)
        """


class SyncUsers(Protocol):
    """``SyncRevox().users``."""

    @property
    def with_raw_response(self) -> SyncUsersRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def me(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> User:
        """The user the API key belongs to, and their organisation.

        user = client.users.me()
        print(user.email, user.organization_id)
        """


class SyncUsersRaw(Protocol):
    """``SyncRevox().users.with_raw_response``."""

    def me(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[User]:
        """The user the API key belongs to, and their organisation.

        user = client.users.me()
        print(user.email, user.organization_id)
        """


class AsyncVoices(Protocol):
    """``AsyncRevox().voices``."""

    @property
    def with_raw_response(self) -> AsyncVoicesRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[builtins.list[VoiceInfo]]:
        """Every voice: the presets and your organisation's clones.

        for voice in await client.voices.list():
            print(voice.provider, voice.id, voice.name, voice.language)
        """

    def retrieve(
        self,
        voice_id: str,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[VoiceInfo]:
        """One voice; the API needs its ``provider``.

        voice = await client.voices.retrieve("79a125e8", provider="cartesia")
        """

    def delete(
        self,
        voice_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bool]:
        """Delete a cloned voice. An assistant still using it makes this a 409
        (`ConflictError`), raised at once: it is not retried.

        await client.voices.delete(voice_id)
        """

    def clone(
        self,
        *,
        name: str,
        audio: str | bytes | PathLike[str] | IO[bytes],
        language: Literal["en", "fr", "es", "de", "it", "pt", "ru", "zh"],
        content_type: Literal[
            "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
        ]
        | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[ClonedVoice]:
        """Clone a voice from a recording (about 7.5 MB of audio at most).

            voice = await client.voices.clone(name="Ada", audio=Path("ada.wav"), language="en")

        ``audio`` is base64 text when a ``str`` (as in the official client), else
        bytes, a path or a binary file object to read. ``content_type`` is read from
        a path's (or a file's name's) suffix when not given. The audio travels
        base64-encoded inside JSON, as the API expects.
        """

    def preview(
        self,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        voice_id: str,
        text: str | None = None,
        model: Literal["sonic-3", "sonic-3.5"] | None = None,
        speed: float | None = None,
        volume: float | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[bytes]:
        """Hear a voice: the audio bytes of ``text`` (or a default sentence) spoken.

            audio = await client.voices.preview(provider="cartesia", voice_id="79a125e8")
            Path("preview.wav").write_bytes(audio)

        ``model`` and ``volume`` apply to Cartesia voices. The API does not say
        which audio format it sends: ``with_raw_response`` shows the
        ``Content-Type``.
        """


class AsyncVoicesRaw(Protocol):
    """``AsyncRevox().voices.with_raw_response``."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[builtins.list[VoiceInfo]]]:
        """Every voice: the presets and your organisation's clones.

        for voice in await client.voices.list():
            print(voice.provider, voice.id, voice.name, voice.language)
        """

    def retrieve(
        self,
        voice_id: str,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[VoiceInfo]]:
        """One voice; the API needs its ``provider``.

        voice = await client.voices.retrieve("79a125e8", provider="cartesia")
        """

    def delete(
        self,
        voice_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bool]]:
        """Delete a cloned voice. An assistant still using it makes this a 409
        (`ConflictError`), raised at once: it is not retried.

        await client.voices.delete(voice_id)
        """

    def clone(
        self,
        *,
        name: str,
        audio: str | bytes | PathLike[str] | IO[bytes],
        language: Literal["en", "fr", "es", "de", "it", "pt", "ru", "zh"],
        content_type: Literal[
            "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
        ]
        | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[ClonedVoice]]:
        """Clone a voice from a recording (about 7.5 MB of audio at most).

            voice = await client.voices.clone(name="Ada", audio=Path("ada.wav"), language="en")

        ``audio`` is base64 text when a ``str`` (as in the official client), else
        bytes, a path or a binary file object to read. ``content_type`` is read from
        a path's (or a file's name's) suffix when not given. The audio travels
        base64-encoded inside JSON, as the API expects.
        """

    def preview(
        self,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        voice_id: str,
        text: str | None = None,
        model: Literal["sonic-3", "sonic-3.5"] | None = None,
        speed: float | None = None,
        volume: float | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Awaitable[RawResponse[bytes]]:
        """Hear a voice: the audio bytes of ``text`` (or a default sentence) spoken.

            audio = await client.voices.preview(provider="cartesia", voice_id="79a125e8")
            Path("preview.wav").write_bytes(audio)

        ``model`` and ``volume`` apply to Cartesia voices. The API does not say
        which audio format it sends: ``with_raw_response`` shows the
        ``Content-Type``.
        """


class SyncVoices(Protocol):
    """``SyncRevox().voices``."""

    @property
    def with_raw_response(self) -> SyncVoicesRaw:
        """The same methods, returning `RawResponse` (status, headers, parsed)."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> builtins.list[VoiceInfo]:
        """Every voice: the presets and your organisation's clones.

        for voice in client.voices.list():
            print(voice.provider, voice.id, voice.name, voice.language)
        """

    def retrieve(
        self,
        voice_id: str,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> VoiceInfo:
        """One voice; the API needs its ``provider``.

        voice = client.voices.retrieve("79a125e8", provider="cartesia")
        """

    def delete(
        self,
        voice_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bool:
        """Delete a cloned voice. An assistant still using it makes this a 409
        (`ConflictError`), raised at once: it is not retried.

        client.voices.delete(voice_id)
        """

    def clone(
        self,
        *,
        name: str,
        audio: str | bytes | PathLike[str] | IO[bytes],
        language: Literal["en", "fr", "es", "de", "it", "pt", "ru", "zh"],
        content_type: Literal[
            "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
        ]
        | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ClonedVoice:
        """Clone a voice from a recording (about 7.5 MB of audio at most).

            voice = client.voices.clone(name="Ada", audio=Path("ada.wav"), language="en")

        ``audio`` is base64 text when a ``str`` (as in the official client), else
        bytes, a path or a binary file object to read. ``content_type`` is read from
        a path's (or a file's name's) suffix when not given. The audio travels
        base64-encoded inside JSON, as the API expects.
        """

    def preview(
        self,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        voice_id: str,
        text: str | None = None,
        model: Literal["sonic-3", "sonic-3.5"] | None = None,
        speed: float | None = None,
        volume: float | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> bytes:
        """Hear a voice: the audio bytes of ``text`` (or a default sentence) spoken.

            audio = client.voices.preview(provider="cartesia", voice_id="79a125e8")
            Path("preview.wav").write_bytes(audio)

        ``model`` and ``volume`` apply to Cartesia voices. The API does not say
        which audio format it sends: ``with_raw_response`` shows the
        ``Content-Type``.
        """


class SyncVoicesRaw(Protocol):
    """``SyncRevox().voices.with_raw_response``."""

    def list(
        self,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[builtins.list[VoiceInfo]]:
        """Every voice: the presets and your organisation's clones.

        for voice in client.voices.list():
            print(voice.provider, voice.id, voice.name, voice.language)
        """

    def retrieve(
        self,
        voice_id: str,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[VoiceInfo]:
        """One voice; the API needs its ``provider``.

        voice = client.voices.retrieve("79a125e8", provider="cartesia")
        """

    def delete(
        self,
        voice_id: str,
        *,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bool]:
        """Delete a cloned voice. An assistant still using it makes this a 409
        (`ConflictError`), raised at once: it is not retried.

        client.voices.delete(voice_id)
        """

    def clone(
        self,
        *,
        name: str,
        audio: str | bytes | PathLike[str] | IO[bytes],
        language: Literal["en", "fr", "es", "de", "it", "pt", "ru", "zh"],
        content_type: Literal[
            "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
        ]
        | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ClonedVoice]:
        """Clone a voice from a recording (about 7.5 MB of audio at most).

            voice = client.voices.clone(name="Ada", audio=Path("ada.wav"), language="en")

        ``audio`` is base64 text when a ``str`` (as in the official client), else
        bytes, a path or a binary file object to read. ``content_type`` is read from
        a path's (or a file's name's) suffix when not given. The audio travels
        base64-encoded inside JSON, as the API expects.
        """

    def preview(
        self,
        *,
        provider: Literal["cartesia", "elevenlabs", "gradium"],
        voice_id: str,
        text: str | None = None,
        model: Literal["sonic-3", "sonic-3.5"] | None = None,
        speed: float | None = None,
        volume: float | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[bytes]:
        """Hear a voice: the audio bytes of ``text`` (or a default sentence) spoken.

            audio = client.voices.preview(provider="cartesia", voice_id="79a125e8")
            Path("preview.wav").write_bytes(audio)

        ``model`` and ``volume`` apply to Cartesia voices. The API does not say
        which audio format it sends: ``with_raw_response`` shows the
        ``Content-Type``.
        """


if TYPE_CHECKING:  # mypy: each resource, in each mode, conforms to its facade

    def _assistants(
        a: Assistants[Async],
        s: Assistants[Sync],
        ar: Assistants[Raw[Async]],
        sr: Assistants[Raw[Sync]],
    ) -> tuple[AsyncAssistants, SyncAssistants, AsyncAssistantsRaw, SyncAssistantsRaw]:
        return a, s, ar, sr

    def _calls(
        a: Calls[Async],
        s: Calls[Sync],
        ar: Calls[Raw[Async]],
        sr: Calls[Raw[Sync]],
    ) -> tuple[AsyncCalls, SyncCalls, AsyncCallsRaw, SyncCallsRaw]:
        return a, s, ar, sr

    def _campaigns(
        a: Campaigns[Async],
        s: Campaigns[Sync],
        ar: Campaigns[Raw[Async]],
        sr: Campaigns[Raw[Sync]],
    ) -> tuple[AsyncCampaigns, SyncCampaigns, AsyncCampaignsRaw, SyncCampaignsRaw]:
        return a, s, ar, sr

    def _phone_numbers(
        a: PhoneNumbers[Async],
        s: PhoneNumbers[Sync],
        ar: PhoneNumbers[Raw[Async]],
        sr: PhoneNumbers[Raw[Sync]],
    ) -> tuple[AsyncPhoneNumbers, SyncPhoneNumbers, AsyncPhoneNumbersRaw, SyncPhoneNumbersRaw]:
        return a, s, ar, sr

    def _users(
        a: Users[Async],
        s: Users[Sync],
        ar: Users[Raw[Async]],
        sr: Users[Raw[Sync]],
    ) -> tuple[AsyncUsers, SyncUsers, AsyncUsersRaw, SyncUsersRaw]:
        return a, s, ar, sr

    def _voices(
        a: Voices[Async],
        s: Voices[Sync],
        ar: Voices[Raw[Async]],
        sr: Voices[Raw[Sync]],
    ) -> tuple[AsyncVoices, SyncVoices, AsyncVoicesRaw, SyncVoicesRaw]:
        return a, s, ar, sr
