"""Judgements over machine output: merges, splits, order, statement review."""

from __future__ import annotations

from typing import Any

from rasid.link.judgements import Resolver


def _j(kind: str, *targets: str, **payload: Any) -> dict[str, Any]:
    return {"kind": kind, "target_ids": list(targets), "payload": payload}


def test_merge_makes_the_first_target_canonical() -> None:
    resolver = Resolver.from_judgements([_j("merge", "a", "b", "c")])
    assert resolver.canonical("b") == "a" and resolver.canonical("c") == "a"
    assert resolver.members("c") == {"a", "b", "c"}
    assert resolver.canonical("z") == "z"


def test_split_undoes_a_merge_and_blocks_joins() -> None:
    resolver = Resolver.from_judgements([_j("merge", "a", "b"), _j("split", "a", "b")])
    assert resolver.canonical("b") == "b"
    assert not resolver.may_join("a", "b") and not resolver.may_join("b", "a")
    assert resolver.may_join("a", "c")


def test_a_later_merge_wins_over_an_earlier_split() -> None:
    resolver = Resolver.from_judgements([_j("not_same", "a", "b"), _j("merge", "a", "b")])
    assert resolver.canonical("b") == "a" and resolver.may_join("a", "b")


def test_split_holds_against_a_chain_of_merges() -> None:
    resolver = Resolver.from_judgements(
        [_j("merge", "a", "b"), _j("merge", "b", "c"), _j("split", "a", "c")]
    )
    assert resolver.canonical("a") != resolver.canonical("c")
    assert resolver.canonical("b") == "a"  # the older merge stands; the one that joins c does not


def test_statement_review_latest_wins() -> None:
    resolver = Resolver.from_judgements(
        [_j("reject", "st-1"), _j("accept", "st-1"), _j("edit", "st-2", value="3000")]
    )
    assert resolver.status("st-1") == "accepted"
    assert resolver.status("st-2") == "edited"
    assert resolver.statement_edits["st-2"] == {"value": "3000"}
    assert resolver.status("st-3", "machine") == "machine"
