"""Testing helpers: an in-memory Revox server and pytest fixtures.

``MockRevoxServer`` runs on 127.0.0.1 and enforces the API's rules on
values (400/422 naming the field); its switches (``drift``, ``odd_values``,
``unpatched_calls_notice``, ``faults``) play a newer or misbehaving API. The
pytest plugin (registered on install) provides the ``revox_mock`` and
``revox_client`` fixtures.
"""

from ._server import FaultPlan, LoggedRequest, MockRevoxServer

__all__ = ["FaultPlan", "LoggedRequest", "MockRevoxServer"]
