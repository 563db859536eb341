"""revox_async: an async-first Python SDK for the Revox API."""

from ._batch import BatchAbortedError, BatchItem, BatchResult
from ._client import AsyncRevox
from ._converter import to_dict
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RevoxError,
    UnprocessableEntityError,
)
from ._journal import JournalMismatchError
from ._models import (
    Assistant,
    Calendly,
    CallingWindow,
    CallRetryConfig,
    DedicatedInstanceModel,
    FaqItem,
    LLMModel,
    OpenRouterModel,
    StructuredOutputField,
    UnknownLLMModel,
    Voice,
)
from ._params import AssistantCreateParams, AssistantUpdateParams
from ._raw import RawResponse
from ._sync import SyncRevox
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Assistant",
    "AssistantCreateParams",
    "AssistantUpdateParams",
    "AsyncRevox",
    "AuthenticationError",
    "BadRequestError",
    "BatchAbortedError",
    "BatchItem",
    "BatchResult",
    "Calendly",
    "CallRetryConfig",
    "CallingWindow",
    "ClientClosedError",
    "ConflictError",
    "DedicatedInstanceModel",
    "FaqItem",
    "InternalServerError",
    "JournalMismatchError",
    "LLMModel",
    "NotFoundError",
    "NotGiven",
    "OpenRouterModel",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RevoxError",
    "StructuredOutputField",
    "SyncRevox",
    "UnknownLLMModel",
    "UnprocessableEntityError",
    "Voice",
    "__version__",
    "to_dict",
]
