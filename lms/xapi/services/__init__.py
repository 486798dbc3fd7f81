"""Writes of the LRS. Every statement, from a client or from the platform's emitter, is
stored by :func:`statement_store`."""

from .statements import AttachmentPayload, StoreOutcome, statement_store

__all__ = ["AttachmentPayload", "StoreOutcome", "statement_store"]
