"""Analysts' judgements applied over machine output (nomenklatura's Resolver idea).

Machine IDs are never rewritten. A ``merge`` judgement joins entities (the first
target is the canonical one); a later ``split`` or ``not_same`` between two
entities undoes every earlier merge that joined them directly, keeps any chain
of merges from joining them indirectly, and keeps the machine from joining
them again. Judgements apply oldest first, so the latest word on a pair wins. ``accept``/``reject``/``edit`` on a statement
set its review status; the latest judgement wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

STATEMENT_KINDS = {"accept": "accepted", "reject": "rejected", "edit": "edited"}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass
class Resolver:
    """Canonical entity IDs and statement statuses from the judgements table."""

    merges: list[tuple[str, str]] = field(default_factory=list)  # (canonical, merged)
    separated: set[tuple[str, str]] = field(default_factory=set)
    statement_status: dict[str, str] = field(default_factory=dict)
    statement_edits: dict[str, dict[str, Any]] = field(default_factory=dict)
    _parent: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_judgements(cls, judgements: Iterable[Mapping[str, Any]]) -> Resolver:
        resolver = cls()
        for judgement in judgements:  # oldest first
            kind = judgement["kind"]
            targets: Sequence[str] = judgement["target_ids"]
            if kind == "merge":
                canonical = targets[0]
                for other in targets[1:]:
                    if other != canonical:
                        resolver.merges.append((canonical, other))
                        resolver.separated.discard(_pair(canonical, other))
            elif kind in {"split", "not_same"}:
                for i, a in enumerate(targets):
                    for b in targets[i + 1 :]:
                        resolver.separated.add(_pair(a, b))
                        resolver.merges = [m for m in resolver.merges if _pair(*m) != _pair(a, b)]
            elif kind in STATEMENT_KINDS:
                for target in targets:
                    resolver.statement_status[target] = STATEMENT_KINDS[kind]
                    if kind == "edit":
                        resolver.statement_edits[target] = dict(judgement.get("payload") or {})
        resolver._build()
        return resolver

    def _build(self) -> None:
        self._parent = {}
        component: dict[str, set[str]] = {}
        for canonical, other in self.merges:
            root_a, root_b = self._find(canonical), self._find(other)
            if root_a == root_b:
                continue
            side_a = component.get(root_a, {root_a})
            side_b = component.get(root_b, {root_b})
            # A merge that would put two entities an analyst separated into one is
            # not applied (A = B, B = C, then "A is not C": B stays with A only).
            if any(_pair(a, b) in self.separated for a in side_a for b in side_b):
                continue
            self._parent[root_b] = root_a
            component[root_a] = side_a | side_b
            component.pop(root_b, None)

    def _find(self, entity_id: str) -> str:
        while entity_id in self._parent:
            entity_id = self._parent[entity_id]
        return entity_id

    def canonical(self, entity_id: str) -> str:
        return self._find(entity_id)

    def members(self, entity_id: str) -> set[str]:
        """Every machine ID that resolves to the same canonical entity."""
        root = self._find(entity_id)
        found = {root}
        for canonical, other in self.merges:
            for node in (canonical, other):
                if self._find(node) == root:
                    found.add(node)
        return found

    def may_join(self, a: str, b: str) -> bool:
        """False when an analyst said the two are not the same."""
        return _pair(a, b) not in self.separated

    def status(self, statement_id: str, machine_status: str = "machine") -> str:
        return self.statement_status.get(statement_id, machine_status)
