"""Testing helpers: an in-memory Revox server and pytest fixtures.

``MockRevoxServer`` serves the whole API on 127.0.0.1 and enforces the
API's rules on values (400/422 naming the field); its switches (``drift``,
``odd_values``, ``unpatched_calls_notice``, ``faults``) play a newer or
misbehaving API; its clock (``now``, ``advance``, ``time_scale``) and
``CallPlan`` decide how calls go, with no real waiting; a call that ends
POSTs its webhook (``webhook_deliveries``: `WebhookDelivery`). The pytest plugin
(registered on install) provides the ``revox_mock`` and ``revox_client``
fixtures.
"""

from ._lifecycle import CallPlan
from ._server import FaultPlan, LoggedRequest, MockRevoxServer
from ._webhooks import WebhookAttempt, WebhookDelivery

__all__ = [
    "CallPlan",
    "FaultPlan",
    "LoggedRequest",
    "MockRevoxServer",
    "WebhookAttempt",
    "WebhookDelivery",
]
