"""Provisional entity keys for statement subjects and objects.

Facts run before cross-document linking, so a subject is named by a local key
``local:<normalised name>`` that linking later replaces with an entity id. All
keys are made here, so the linker has one function to mirror.
"""

from __future__ import annotations

from rasid.text.normalize import normalize_key

LOCAL_PREFIX = "local:"


def local_key(name: str) -> str:
    """``local:`` + the name folded for matching (spelling variants collapse)."""
    return LOCAL_PREFIX + normalize_key(name.strip(" \t\n\"'“”«»,.،:؛-–—"))


def is_local_key(value: str) -> bool:
    return value.startswith(LOCAL_PREFIX)


def document_object_key(document_id: str, name: str) -> str:
    """A key for a thing known only within one document ("هذه الوثائق")."""
    return f"{local_key(name)}@{document_id}"
