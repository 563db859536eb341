"""The API's resources, one module each; every endpoint is declared once (see ``_endpoint``)."""

from .assistants import Assistants

__all__ = ["Assistants"]
