"""The entity network as GraphML (networkx writes it; tests read it back).

Nodes are entities (``label``, ``label_latin``, ``type``); edges are
directed, one per (source, target, kind): ``kind`` is the statement property
linking them, or ``co_mention`` for entities named in the same sentence, with
``weight`` the number of statements or sentences.
"""

from __future__ import annotations

from typing import TextIO

import networkx as nx

from rasid.kb.store import Store
from rasid.web import queries


def build_graph(store: Store) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="rasid entity network")
    for entity in queries.iter_entities(store):
        graph.add_node(
            entity["id"],
            label=entity["label"],
            label_latin=entity["label_latin"] or "",
            type=entity["type"],
        )
    for source, target, kind, weight in queries.network_edges(store):
        # Statements may point at ids the entity cache does not hold: keep them
        # as bare nodes so no edge is lost.
        for node in (source, target):
            if node not in graph:
                graph.add_node(node, label="", label_latin="", type="")
        graph.add_edge(source, target, key=kind, kind=kind, weight=int(weight))
    return graph


def write_graphml(store: Store, fh: TextIO) -> int:
    graph = build_graph(store)
    for line in nx.generate_graphml(graph, encoding="utf-8", prettyprint=True):
        fh.write(line + "\n")
    return int(graph.number_of_nodes())
