"""What a chart shows: tags and cue words from a reference, a student's answers or a plain
mapping; the article's sentences; and how often each label was chosen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

from medialit.scheme import Scheme


def unit_texts(article: str) -> dict[str, str]:
    """Each unit's id and its words, in reading order."""
    from medialit.article import load_article

    return {u.id: u.text for u in load_article(article).units}


def source_tags(source) -> tuple[dict, dict[str, list[str]], str, str]:
    """(tags, cue words per unit, article, who) from a Reference, AnswerSheet or mapping."""
    if hasattr(source, "entries") and hasattr(source, "entry"):
        tags: dict[str, dict[str, list[str]]] = {}
        cues: dict[str, list[str]] = {}
        for e in source.entries():
            if e.label:
                tags.setdefault(e.unit, {})[e.layer] = list(e.label)
            for label in e.label:  # only the words behind the expert's own choice
                cues.setdefault(e.unit, []).extend(e.cues.get(label, ()))
        return tags, cues, source.article, "the expert reference"
    if hasattr(source, "tags") and hasattr(source, "cues"):
        cues = {u: [w for ws in by.values() for w in ws] for u, by in source.cues.items()}
        return source.tags, cues, source.article, f"{source.student}'s tags"
    return dict(source), {}, "seed", "these tags"


def label_table(source, scheme: Scheme, layers: Sequence[str]) -> pd.DataFrame:
    """A table with columns layer, label, count, from a class, a reference, a sheet or a table."""
    if isinstance(source, pd.DataFrame) and {"layer", "label", "count"} <= set(source):
        return source
    if hasattr(source, "label_counts"):
        return source.label_counts(list(layers))
    tags, _, _, _ = source_tags(source)
    counter = Counter(
        (layer, lab) for by in tags.values() for layer, labs in by.items() for lab in labs
    )
    return pd.DataFrame(
        [
            {"layer": la, "label": lab, "count": counter.get((la, lab), 0)}
            for la in layers
            for lab in scheme.layer(la).label_names
        ],
        columns=["layer", "label", "count"],
    )
