"""Reading and validating lexicon files: the records they hold and ``file:line`` errors.

:mod:`framing.lexicon.load` documents the files and builds the :class:`~framing.lexicon.load.Lexicon` from
what this module reads; each problem found here is one ``file:line: what is wrong`` line.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from framing.lexicon.matcher import Form, PhraseRegistry, match_key
from framing.text.clean import RULE_KINDS

__all__ = [
    "COMPLEMENTS", "FILES", "RESERVED_LABELS", "LexiconError", "Entity", "LabelSet", "AttributionVerb",
    "BoilerplateRule", "AffiliationCue", "CUE_KINDS", "slug", "read_csv", "build_parts", "plan_files", "close_name",
]

#: File name -> (required columns, optional columns).
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "entities.csv": (("entity", "variant", "type", "voice", "source"), ("kind", "case")),
    "label_sets.csv": (("set", "label", "form", "source"), ("case",)),
    "label_targets.csv": (("set", "entity", "source"), ()),
    "attribution_verbs.csv": (("form", "lemma", "connotation", "source"), ("complement",)),
    "boilerplate.csv": (("rule", "kind", "pattern", "source"), ()),
    "affiliation_cues.csv": (("voice", "kind", "pattern", "source"), ()),
}
#: Kinds of affiliation cue (``affiliation_cues.csv``), for the reader; file order decides which wins.
CUE_KINDS = ("party", "office", "role")
#: What an attribution verb needs to report speech (``attribution_verbs.csv``, column ``complement``).
COMPLEMENTS = ("any", "clause")
#: Words a label may not be called: they name the labels extractor's own features.
RESERVED_LABELS = frozenset({"none", "anaphora", "compound", "quoted", "labelled_share", "per_1k_words"})
_SET_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_LABEL_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_MAX_ERRORS = 50


class LexiconError(ValueError):
    """A lexicon file is missing or invalid; ``errors`` holds one ``file:line: problem`` each."""

    def __init__(self, errors: Iterable[str]):
        self.errors = list(errors)
        shown = self.errors[:_MAX_ERRORS]
        more = len(self.errors) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more"] if more > 0 else [])))


@dataclass(frozen=True)
class Entity:
    """A named actor, place or organisation: canonical ``name``, ``type`` ("armed_group",
    "person", ...), ``voice`` group of its statements ("" for none), name ``variants`` (canonical
    first, then file order), ``source`` and ``where`` (``file:line``) of its first row, and
    ``adjectives`` ("Syrian")."""

    name: str
    type: str
    voice: str
    variants: tuple[str, ...]
    source: str
    adjectives: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class LabelSet:
    """Competing descriptors of some target entities ("none" is always possible): set ``name``
    (used in feature names), ``labels`` and ``(form, label)`` pairs and ``targets``, all in file
    order, and ``where`` its first row is."""

    name: str
    labels: tuple[str, ...]
    forms: tuple[tuple[str, str], ...]
    targets: tuple[str, ...]
    where: str = ""


@dataclass(frozen=True)
class AttributionVerb:
    """A speech verb form and its connotation (``attribution_verbs.csv``).

    ``complement`` says what makes the verb a report of speech: ``"any"`` (the default: "said",
    "told reporters ...", "..., he said"), or ``"clause"`` for verbs that also have a sense that is
    not speech and report speech only with a that-clause, a quotation or a colon ("maintained that
    ..." is a claim; "maintained their relations" is not).
    """

    form: str
    lemma: str
    connotation: str
    source: str
    where: str = ""
    complement: str = "any"


@dataclass(frozen=True)
class BoilerplateRule:
    """A boilerplate removal rule (``boilerplate.csv``); ``pattern`` is compiled."""

    rule: str
    kind: str
    pattern: re.Pattern[str]
    source: str
    where: str = ""


@dataclass(frozen=True)
class AffiliationCue:
    """A cue that places a speaker the entities do not know in a voice group
    (``affiliation_cues.csv``): "Republican Sen.", "(D-N.Y.)", "State Department spokesman",
    "professor". ``kind`` is ``party``, ``office`` or ``role``; ``pattern`` is compiled."""

    voice: str
    kind: str
    pattern: re.Pattern[str]
    source: str
    where: str = ""


def slug(name: str) -> str:
    """ASCII, lower-case, ``_``-separated form of a name for feature names ("Bashar al-Assad" ->
    "bashar_al_assad")."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def plan_files(sources: list[Path]) -> list[tuple[str, int, Path]]:
    """(file name, reading order, path) of every lexicon file in ``sources``."""
    files: list[tuple[str, int, Path]] = []
    problems = []
    for source in sources:
        if source.is_dir():
            found = [source / name for name in FILES if (source / name).is_file()]
            if not found:
                problems.append(f"{source}: no lexicon file here (expected any of {', '.join(FILES)})")
        elif source.is_file():
            if source.name not in FILES:
                problems.append(f"{source}: not a lexicon file name (expected one of {', '.join(FILES)})")
            found = [source]
        else:
            problems.append(f"{source}: no such lexicon folder or file")
            found = []
        files.extend((p.name, len(files) + i, p) for i, p in enumerate(found))
    if problems:
        raise LexiconError(problems)
    return files


def close_name(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'X'?)`` for the closest known name, or ""."""
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean {match[0]!r}?)" if match else ""


def read_csv(path: Path, data: bytes, required: tuple[str, ...], optional: tuple[str, ...], errors: list[str]
             ) -> list[tuple[str, dict[str, str]]]:
    """Rows of one lexicon CSV (``data``, read from ``path``) as ``(file:line, {column: value})``;
    problems go to ``errors``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as CSV UTF-8")
        return []
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        errors.append(f"{path}:1: empty file; expected a header row: {', '.join(required)}")
        return []
    header = [_clean(h).lower() for h in header]
    allowed = required + optional
    unknown = [c for c in header if c not in allowed]
    hinted = {close_name(c, allowed) for c in unknown}
    problems = [f"unknown column {c!r}{close_name(c, allowed)}; allowed: {', '.join(allowed)}" for c in unknown]
    problems += [f"column {c!r} appears twice" for c in sorted({c for c in header if header.count(c) > 1})]
    problems += [f"missing column {c!r}; required: {', '.join(required)}" for c in required
                 if c not in header and f" (did you mean {c!r}?)" not in hinted]  # a misspelling is one problem
    if problems:
        errors.extend(f"{path}:1: {p}" for p in problems)
        return []
    rows = []
    for cells in reader:
        where = f"{path}:{reader.line_num}"
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            errors.append(f"{where}: {len(cells)} cells but the header has {len(header)} columns "
                          "(a comma inside a value needs quotes)")
            continue
        values = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header)}
        rows.append((where, {col: values.get(col, "") for col in required + optional}))
    return rows


def _case(value: str, where: str, errors: list[str]) -> bool:
    if value.lower() not in ("", "ignore", "exact"):
        errors.append(f"{where}: case must be 'exact' or 'ignore' (or empty), not {value!r}")
    return value.lower() == "exact"


def _phrase_ok(text: str, what: str, where: str, errors: list[str]) -> bool:
    if not text:
        errors.append(f"{where}: empty {what}")
        return False
    if not any(ch.isalnum() for ch in text):
        errors.append(f"{where}: {what} {text!r} has no letter or digit")
        return False
    return True


def build_parts(rows: dict[str, list], errors: list[str]) -> dict:
    b = PhraseRegistry(errors)
    entities = _entities(rows["entities.csv"], b)
    label_sets = _label_sets(rows["label_sets.csv"], rows["label_targets.csv"], entities, b)
    verbs: dict[str, AttributionVerb] = {}
    for where, r in rows["attribution_verbs.csv"]:
        form, lemma, conn, source = (_clean(r[c]) for c in ("form", "lemma", "connotation", "source"))
        complement = _clean(r["complement"]) or "any"
        missing = [c for c, v in (("form", form), ("lemma", lemma), ("connotation", conn), ("source", source)) if not v]
        if missing:
            errors.append(f"{where}: empty {', '.join(missing)}")
        elif complement not in COMPLEMENTS:
            errors.append(f"{where}: complement {complement!r} is not one of {', '.join(COMPLEMENTS)} (empty means any)")
        elif form.lower() in verbs:
            errors.append(f"{where}: verb form {form!r} already listed ({verbs[form.lower()].where})")
        else:
            verbs[form.lower()] = AttributionVerb(form, lemma, conn, source, where, complement)
    return {"entities": entities, "label_sets": label_sets, "verbs": verbs,
            "boilerplate": _boilerplate(rows["boilerplate.csv"], errors), "forms": b.forms,
            "affiliation": _affiliation(rows["affiliation_cues.csv"], errors)}


def _entities(rows, b: PhraseRegistry) -> dict[str, Entity]:
    acc: dict[str, dict] = {}
    for where, r in rows:
        name, variant, type_, voice, source, kind = (_clean(r[c]) for c in ("entity", "variant", "type", "voice", "source", "kind"))
        kind = kind.lower() or "name"
        exact = _case(r["case"].strip(), where, b.errors)
        if not name:
            b.errors.append(f"{where}: empty entity")
            continue
        if not source:
            b.errors.append(f"{where}: empty source (say who or what justifies this row)")
        if kind not in ("name", "adjective"):
            b.errors.append(f"{where}: kind must be 'name' or 'adjective', not {kind!r}")
            continue
        e = acc.setdefault(name, {"where": where, "source": source, "type": "", "voice": "", "names": [], "adjs": []})
        for field, value in (("type", type_), ("voice", voice)):
            if value and e[field] and value != e[field][0]:
                b.errors.append(f"{where}: entity {name!r} has {field} {e[field][0]!r} at {e[field][1]}, not {value!r}")
            elif value and not e[field]:
                e[field] = (value, where)
        if _phrase_ok(variant, "variant", where, b.errors):
            form = Form(variant, kind, entity=name, exact_case=exact, source=source, where=where)
            if b.claim(form):
                e["names" if kind == "name" else "adjs"].append(variant)
    entities = {}
    for name, e in acc.items():
        if not e["type"]:
            b.errors.append(f"{e['where']}: entity {name!r} has no type on any row")
        key = match_key(name)
        if key not in {match_key(v) for v in e["names"]}:
            if b.claim(Form(name, "name", entity=name, source=e["source"], where=e["where"])):
                e["names"].insert(0, name)
        else:
            e["names"].sort(key=lambda v: match_key(v) != key)
        entities[name] = Entity(name, (e["type"] or ("",))[0], (e["voice"] or ("",))[0], tuple(e["names"]),
                                e["source"], tuple(e["adjs"]), e["where"])
    return entities


def _label_sets(label_rows, target_rows, entities: dict[str, Entity], b: PhraseRegistry) -> dict[str, LabelSet]:
    acc: dict[str, dict] = {}
    for where, r in label_rows:
        set_, label, form, source = (_clean(r[c]) for c in ("set", "label", "form", "source"))
        exact = _case(r["case"].strip(), where, b.errors)
        if not _SET_NAME.match(set_):
            b.errors.append(f"{where}: set name {set_!r} must be lower-case letters, digits and _ (a letter first)")
            continue
        s = acc.setdefault(set_, {"where": where, "labels": [], "forms": [], "targets": [], "declared": False})
        if not _LABEL_NAME.match(label):
            b.errors.append(f"{where}: label {label!r} must be lower-case letters, digits, _ or -")
            continue
        if label in RESERVED_LABELS:
            b.errors.append(f"{where}: label {label!r} is reserved (names a feature); choose another name")
            continue
        if not source:
            b.errors.append(f"{where}: empty source (say who or what justifies this row)")
        if label not in s["labels"]:
            s["labels"].append(label)
        if _phrase_ok(form, "form", where, b.errors):
            if b.claim(Form(form, "label", label_set=set_, label=label, exact_case=exact, source=source, where=where)):
                s["forms"].append((form, label))
    owner: dict[str, tuple[str, str]] = {}
    for where, r in target_rows:
        set_, entity, source = (_clean(r[c]) for c in ("set", "entity", "source"))
        if set_ in acc:
            acc[set_]["declared"] = True  # a bad target row is its own error, not also "no targets"
        if set_ not in acc:
            b.errors.append(f"{where}: unknown label set {set_!r}{close_name(set_, acc)} (no rows in label_sets.csv)")
        elif entity not in entities:
            b.errors.append(f"{where}: unknown entity {entity!r}{close_name(entity, entities)} (not in entities.csv)")
        elif not source:
            b.errors.append(f"{where}: empty source (say who or what justifies this row)")
        elif entity in owner and owner[entity][0] != set_:
            b.errors.append(f"{where}: entity {entity!r} is already a target of set {owner[entity][0]!r} "
                            f"({owner[entity][1]}); an entity belongs to one label set")
        elif entity not in owner:
            owner[entity] = (set_, where)
            acc[set_]["targets"].append(entity)
    sets = {}
    for name, s in acc.items():
        if not s["declared"]:
            b.errors.append(f"{s['where']}: label set {name!r} has no targets (add rows to label_targets.csv)")
        slugs: dict[str, str] = {}
        for t in s["targets"]:
            if slug(t) in slugs:
                b.errors.append(f"{s['where']}: targets {slugs[slug(t)]!r} and {t!r} of set {name!r} "
                                f"have the same feature name {slug(t)!r}")
            slugs[slug(t)] = t
        sets[name] = LabelSet(name, tuple(s["labels"]), tuple(s["forms"]), tuple(s["targets"]), s["where"])
    return sets


def _boilerplate(rows, errors: list[str]) -> list[BoilerplateRule]:
    rules: dict[str, BoilerplateRule] = {}
    for where, r in rows:
        rule, kind, source, pattern = _clean(r["rule"]), _clean(r["kind"]), _clean(r["source"]), r["pattern"]
        missing = [c for c, v in (("rule", rule), ("kind", kind), ("pattern", pattern.strip()), ("source", source)) if not v]
        if missing:
            errors.append(f"{where}: empty {', '.join(missing)}")
            continue
        if kind not in RULE_KINDS:
            errors.append(f"{where}: unknown kind {kind!r}; use one of {', '.join(RULE_KINDS)}")
            continue
        if rule in rules:
            errors.append(f"{where}: rule {rule!r} already defined ({rules[rule].where})")
            continue
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            errors.append(f"{where}: bad regular expression in pattern: {exc}")
            continue
        rules[rule] = BoilerplateRule(rule, kind, compiled, source, where)
    return list(rules.values())


def _affiliation(rows, errors: list[str]) -> list[AffiliationCue]:
    cues: list[AffiliationCue] = []
    for where, r in rows:
        voice, kind, source, pattern = _clean(r["voice"]), _clean(r["kind"]), _clean(r["source"]), r["pattern"]
        missing = [c for c, v in (("voice", voice), ("kind", kind), ("pattern", pattern.strip()), ("source", source)) if not v]
        if missing:
            errors.append(f"{where}: empty {', '.join(missing)}")
        elif kind not in CUE_KINDS:
            errors.append(f"{where}: unknown kind {kind!r}; use one of {', '.join(CUE_KINDS)}")
        elif voice in ("other", "unattributed") or voice.startswith("unknown"):
            errors.append(f"{where}: voice {voice!r} is reserved for speakers without a voice")
        else:
            try:
                cues.append(AffiliationCue(voice, kind, re.compile(pattern), source, where))
            except re.error as exc:
                errors.append(f"{where}: bad regular expression in pattern: {exc}")
    return cues
