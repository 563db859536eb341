"""The Revox data model: attrs classes, one module per resource (``shared`` for the rest).

This package holds the assistants' and the shared models; the other resources'
models stay in their modules (``_models.calls``, ...), which load on first use:
``import revox_async`` loads no model at all (see ``revox_async._MODELS``).
"""

from . import assistants, shared
from ._base import Model as Model
from ._base import resolve_module
from .assistants import *  # noqa: F403
from .shared import *  # noqa: F403

resolve_module(assistants, public=True)
resolve_module(shared, public=True)
