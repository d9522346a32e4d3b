"""Lexicon files: entities and their spellings, label sets, attribution verbs, boilerplate rules.

The lexicon is data a researcher edits in a spreadsheet or a text editor: UTF-8 CSV files in one
folder (``lexicons/`` in the repository, :data:`DEFAULT_LEXICON_DIR`), one row per fact, each with
a ``source`` saying who or what justifies it. Every file is validated on load; each problem is
reported as one line ``file:line: what is wrong`` and all problems are raised together as a
:class:`LexiconError`. Blank rows and rows whose first cell starts with ``#`` are skipped.

Files (all optional; columns in brackets are optional):
    * ``entities.csv`` — ``entity, variant, type, voice, source`` [``kind``, ``case``]: one row per
      spelling. ``kind`` is ``name`` (default) or ``adjective`` ("Syrian" for Syria: an adjective
      only counts as a mention when it carries a label, "the Syrian regime"). ``case`` is
      ``exact`` for acronyms that are also words ("US", "UN"); otherwise case is ignored. The
      entity's own name is always one of its variants. ``type``/``voice`` may be left blank on
      all but one row of an entity; two different values are an error.
    * ``label_sets.csv`` — ``set, label, form, source`` [``case``]: the competing descriptors of a
      label set ("militant" with forms "militant", "militants").
    * ``label_targets.csv`` — ``set, entity, source``: the entities a label set describes. An
      entity is the target of at most one set, so each mention has one set of choices.
    * ``attribution_verbs.csv`` — ``form, lemma, connotation, source`` and optional ``complement``
      (``clause``: speech only with a that-clause or a quotation; used by quotes).
    * ``boilerplate.csv`` — ``rule, kind, pattern, source`` (used by cleaning); ``pattern`` is a
      Python regular expression, compiled on load.
    * ``affiliation_cues.csv`` — ``voice, kind, pattern, source``: party, office and role cues that
      give a voice to speakers the entities do not know (:mod:`framing.extract.affiliation`);
      ``pattern`` is a regular expression; the first matching row wins.

Several folders: :func:`load_lexicon` reads the files of each folder in turn and validates
their rows together, as if the files of the same name were one file (shipped rows first). So a
user folder *extends* the shipped lexicon: it can add entities, variants of shipped entities,
labels, targets, verbs and rules, and any contradiction (a variant claimed by two entities, a
second voice for an entity) is an error naming both lines. To change or remove shipped rows,
copy ``lexicons/`` and load the copy with ``extend=False``.

All phrases (entity variants, adjectives, label forms) go into one Aho-Corasick automaton
(:mod:`framing.lexicon.matcher`), built on first use and rebuilt after unpickling.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from framing.lexicon.files import (
    FILES,
    RESERVED_LABELS,
    AffiliationCue,
    AttributionVerb,
    BoilerplateRule,
    Entity,
    LabelSet,
    LexiconError,
    build_parts,
    plan_files,
    read_csv,
    slug,
)
from framing.lexicon.matcher import EntityMatch, Form, FormMatch, PhraseIndex

__all__ = [
    "DEFAULT_LEXICON_DIR", "FILES", "RESERVED_LABELS", "Lexicon", "LexiconError", "Entity", "LabelSet",
    "Form", "FormMatch", "EntityMatch", "AttributionVerb", "BoilerplateRule", "AffiliationCue", "load_lexicon", "slug",
]

#: The shipped lexicon folder (the repository's top-level ``lexicons/``).
def _shipped_lexicon_dir() -> Path:
    """The shipped lexicon: ``framing/_lexicons`` in an installed wheel, ``lexicons/`` in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "_lexicons"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "lexicons"


DEFAULT_LEXICON_DIR = _shipped_lexicon_dir()

class Lexicon(PhraseIndex):
    """A validated lexicon (build it with :func:`load_lexicon`); as a :class:`PhraseIndex` it
    finds its phrases in text (``scan``, ``find_entities``) with one automaton.

    Attributes:
        entities: Canonical name -> :class:`Entity`, in file order.
        label_sets: Set name -> :class:`LabelSet`, in file order.
        target_set: Entity name -> name of the label set targeting it.
        verbs: Lower-cased form -> :class:`AttributionVerb`.
        boilerplate: Boilerplate rules in file order.
        affiliation: Affiliation cues in file order (first match wins).
        forms: Every phrase of the automaton, in file order.
        files: The files read, in reading order.
        hash: SHA-256 over the files' names and bytes, in sorted name order (run manifest).
    """

    def __init__(self, *, entities, label_sets, verbs, boilerplate, forms, files, hash, affiliation=()):
        super().__init__(forms)
        self.entities: dict[str, Entity] = entities
        self.label_sets: dict[str, LabelSet] = label_sets
        self.verbs: dict[str, AttributionVerb] = verbs
        self.boilerplate: tuple[BoilerplateRule, ...] = tuple(boilerplate)
        self.affiliation: tuple[AffiliationCue, ...] = tuple(affiliation)
        self.files: tuple[str, ...] = tuple(files)
        self.hash: str = hash
        self.target_set: dict[str, str] = {t: s.name for s in label_sets.values() for t in s.targets}

    def __repr__(self) -> str:
        return (f"Lexicon({len(self.entities)} entities, {len(self.forms)} phrases, "
                f"{len(self.label_sets)} label sets, {len(self.verbs)} verbs, "
                f"{len(self.boilerplate)} boilerplate rules, sha256={self.hash[:12]})")

    def entity_for(self, surface: str) -> Entity | None:
        """The entity one of whose name variants is exactly ``surface``, or None.

        Case, typography, spacing, edge punctuation, a leading "the" and a possessive are
        ignored: "the Houthis", "AL HAYYA", "al‑Hayya’s" resolve; "Hayya's office" does not.
        """
        form = self.name_for(surface)
        return self.entities[form.entity] if form is not None else None

    def classify(self, phrase: str) -> str:
        """``"label"`` if ``phrase`` is exactly a label form, ``"entity"`` if it is an entity
        variant or adjective, else ``""`` (case, typography and edge punctuation ignored)."""
        form = self.lookup(phrase)
        return "" if form is None else ("label" if form.kind == "label" else "entity")

    def label_set_for(self, entity: str) -> LabelSet | None:
        """The label set whose targets include ``entity`` (or None)."""
        name = self.target_set.get(entity)
        return self.label_sets[name] if name else None

    def label_forms(self) -> tuple[str, ...]:
        """Every label form, in file order."""
        return tuple(f.text for f in self.forms if f.kind == "label")

    @functools.cached_property
    def label_words(self) -> frozenset[str]:
        """Lower-cased words of the label forms ("militant", "iran-backed"), computed once."""
        return frozenset(w for form in self.label_forms() for w in form.lower().split())

    def describe(self) -> str:
        """A few lines summarising the lexicon (for ``framing lexicon check``)."""
        n = {k: sum(f.kind == k for f in self.forms) for k in ("name", "adjective", "label")}
        return "\n".join(
            [f"{len(self.entities)} entities, {n['name']} name variants, {n['adjective']} adjectives, "
             f"{len(self.label_sets)} label sets, {n['label']} label forms"]
            + [f"  {s.name}: {', '.join(s.labels)} | targets: {', '.join(s.targets)}" for s in self.label_sets.values()]
            + [f"{len(self.verbs)} attribution verb forms, {len(self.boilerplate)} boilerplate rules",
               f"files: {', '.join(self.files)}", f"sha256: {self.hash}"])


def load_lexicon(paths: str | os.PathLike | Iterable[str | os.PathLike] | None = None, *,
                 extend: bool = True) -> Lexicon:
    """Load and validate lexicon files.

    Args:
        paths: None for the shipped lexicon, or one or more folders (or single lexicon files,
            recognised by name, e.g. ``my/entities.csv``).
        extend: With ``paths``, True reads the shipped folder first and then ``paths`` (their rows
            add to the shipped rows); False reads only ``paths``.

    Returns:
        The :class:`Lexicon`.

    Raises:
        LexiconError: A path does not exist or holds no lexicon file, or any row is invalid
            (every problem, one ``file:line: problem`` line each).
    """
    if paths is None:
        sources = [DEFAULT_LEXICON_DIR]
    else:
        given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        sources = ([DEFAULT_LEXICON_DIR] if extend else []) + [Path(p) for p in given]
    files = [(name, order, path, path.read_bytes()) for name, order, path in plan_files(sources)]
    digest = hashlib.sha256()
    for name, _, _, data in sorted(files, key=lambda f: (f[0], f[1])):
        digest.update(name.encode() + b"\0" + data + b"\0")
    errors: list[str] = []
    rows: dict[str, list] = {name: [] for name in FILES}
    for name, _, path, data in files:
        rows[name].extend(read_csv(path, data, *FILES[name], errors))
    parts = build_parts(rows, errors)
    if errors:
        raise LexiconError(errors)
    return Lexicon(**parts, files=[str(f[2]) for f in files], hash=digest.hexdigest())


