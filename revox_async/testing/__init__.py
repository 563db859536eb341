"""Testing helpers: an in-memory Revox server and pytest fixtures.

``MockRevoxServer`` runs on 127.0.0.1; the pytest plugin (registered on
install) provides the ``revox_mock`` and ``revox_client`` fixtures.
"""

from ._server import FaultPlan, LoggedRequest, MockRevoxServer

__all__ = ["FaultPlan", "LoggedRequest", "MockRevoxServer"]
