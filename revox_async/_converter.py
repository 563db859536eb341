"""The private cattrs converters, one per direction, and what the engine calls.

* ``_params``: keyword arguments -> JSON bodies (``request_converter``,
  `build_body`), checked strictly before anything is sent;
* ``_decode``: JSON responses -> models (``response_converter``, `decode_model`,
  `to_dict`), leniently, nested objects on first read;
* ``_hooks``: what both share (leaf checks, timestamps, the ``llm_model`` union,
  how a model is written back).
"""

from ._decode import (
    InvalidResponse,
    decode_list,
    decode_model,
    decode_success,
    response_converter,
    to_dict,
)
from ._hooks import Served
from ._params import build_body, check_numbers, param_types, request_converter

__all__ = [
    "InvalidResponse",
    "Served",
    "build_body",
    "check_numbers",
    "decode_list",
    "decode_model",
    "decode_success",
    "param_types",
    "request_converter",
    "response_converter",
    "to_dict",
]
