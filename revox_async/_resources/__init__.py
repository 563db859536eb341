"""The API's resources, one module each; every endpoint is declared once (see ``_endpoint``).

A client imports a resource's module on its first use (``client.calls``), through
``revox_async.Calls`` (see ``revox_async._LAZY`` and ``_endpoint.with_resources``).
"""
