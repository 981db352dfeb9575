"""The knowledge base: one SQLite file with documents, analyses and search (docs/kb.md)."""

from rasid.kb.records import DocumentSource, SearchHit, StoredDocument
from rasid.kb.store import Store, StoreItem

__all__ = ["DocumentSource", "SearchHit", "Store", "StoreItem", "StoredDocument"]
