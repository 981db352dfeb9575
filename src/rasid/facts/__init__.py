"""rasid.facts: statements and events with provenance (attribution chain, certainty).

Public API: :func:`extract_facts` (pure), :class:`FactsResult`, and the ``facts``
pipeline component registered on import of :mod:`rasid.facts.component`.
"""

from rasid.facts.extract import FactsExtractor, FactsResult, extract_facts

__all__ = ["FactsExtractor", "FactsResult", "extract_facts"]
