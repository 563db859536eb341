"""The Revox data model: attrs classes, one module per resource (``shared`` for the rest)."""

import attrs

from . import assistants, shared
from ._base import Model as Model
from .assistants import *  # noqa: F403
from .shared import *  # noqa: F403

# Resolve every annotation now, while each class still names the module that
# defines its types (the package rewrites ``__module__`` to ``revox_async``).
for _module in (assistants, shared):
    for _name in _module.__all__:
        _obj = getattr(_module, _name)
        if isinstance(_obj, type) and attrs.has(_obj):
            attrs.resolve_types(_obj)
