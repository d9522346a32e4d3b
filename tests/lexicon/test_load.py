"""Lexicon files: the shipped lexicon, look-ups, folders that extend or replace, and one clear
``file:line`` error per bad row."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest

from framing.lexicon.load import DEFAULT_LEXICON_DIR, LexiconError, load_lexicon

ENTITY_HEADER = "entity,variant,type,voice,source\n"


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- the shipped lexicon -------------------------------------------------------------------------


def test_shipped_folder_is_the_repository_lexicons_folder(repo_root):
    assert DEFAULT_LEXICON_DIR == repo_root / "lexicons"
    assert (DEFAULT_LEXICON_DIR / "entities.csv").is_file()


def test_shipped_lexicon_loads_with_a_stable_hash(lexicon):
    again = load_lexicon()
    assert re.fullmatch(r"[0-9a-f]{64}", lexicon.hash)
    assert again.hash == lexicon.hash
    assert {Path(f).name for f in lexicon.files} >= {"entities.csv", "label_sets.csv", "label_targets.csv"}


@pytest.mark.parametrize("spellings, entity", [
    (["al Hayya", "al-Hayeh", "al-Hayya", "Hayya", "Hayeh", "Khalil al-Hayya", "Khalil al Hayya"], "Khalil al-Hayya"),
    (["Türkiye", "Turkey", "Turkiye"], "Turkey"),
    (["Bashar al-Assad", "Bashar Assad", "Assad", "Bashar al Assad"], "Bashar al-Assad"),
    (["Hezbollah", "Hizbollah", "Hizballah"], "Hezbollah"),
    (["ISIS", "ISIL", "Islamic State", "Daesh", "IS"], "Islamic State"),
    (["West Bank", "Judea and Samaria"], "West Bank"),
    (["IDF", "Israel Defense Forces", "Israeli army"], "Israel Defense Forces"),
    (["IRGC", "Revolutionary Guards"], "Islamic Revolutionary Guard Corps"),
    (["Houthis", "Ansar Allah", "Houthi"], "Houthis"),
    (["PKK", "Kurdistan Workers' Party"], "Kurdistan Workers' Party"),
    (["YPG"], "People's Protection Units"),
    (["SDF"], "Syrian Democratic Forces"),
    (["HTS", "Hayat Tahrir al-Sham"], "Hayat Tahrir al-Sham"),
    (["al-Qaeda", "al-Qaida", "al Qaeda"], "al-Qaeda"),
    (["PLO"], "Palestine Liberation Organization"),
    (["Fatah"], "Fatah"),
    (["Palestinian Authority"], "Palestinian Authority"),
    (["Abu Mohammed al-Jolani", "Ahmed al-Sharaa"], "Ahmed al-Sharaa"),
])
def test_shipped_spellings_resolve_to_one_entity(lexicon, spellings, entity):
    assert {lexicon.entity_for(s).name for s in spellings} == {entity}


@pytest.mark.parametrize("surface, voice", [
    ("Khalil al-Hayya", "Hamas"), ("Bashar al-Assad", "Syrian state"), ("SANA", "Syrian state media"),
    ("Al-Watan", "Syrian state media"), ("Fawaz Gerges", "analysts"),
])
def test_shipped_voices_follow_the_issue(lexicon, surface, voice):
    assert lexicon.entity_for(surface).voice == voice


def test_every_label_set_target_is_a_known_entity(lexicon):
    assert set(lexicon.label_sets) == {"armed_group", "state", "territory"}
    for s in lexicon.label_sets.values():
        assert s.targets and all(t in lexicon.entities for t in s.targets)
    assert lexicon.label_set_for("Hamas").name == "armed_group"
    assert lexicon.label_set_for("Bashar al-Assad").name == "state"
    assert lexicon.label_set_for("SANA") is None


def test_off_topic_names_are_not_in_the_shipped_lexicon(lexicon):
    assert lexicon.entity_for("Kyiv") is None and lexicon.entity_for("Kiev") is None


# --- look-ups ------------------------------------------------------------------------------------


def test_entity_for_ignores_case_typography_the_and_possessives(lexicon):
    assert lexicon.entity_for("AL\u2011HAYYA\u2019s").name == "Khalil al-Hayya"
    assert lexicon.entity_for("the Houthis").name == "Houthis"
    assert lexicon.entity_for("  Hamas'  ").name == "Hamas"
    assert lexicon.entity_for("Hayya's office") is None
    assert lexicon.entity_for("Syrian") is None  # an adjective is not a speaker


def test_acronyms_that_are_words_match_case_exactly(lexicon):
    assert lexicon.entity_for("US").name == "United States"
    assert lexicon.entity_for("us") is None
    assert [m.variant for m in lexicon.find_entities("Tell us what the US and the UN said.")] == ["US", "UN"]


def test_find_entities_gives_offsets_of_the_surface_and_skips_labels(lexicon):
    text = "Lebanon\u2019s militant Hezbollah group met Syrian regime officials and Hamas-led factions."
    found = lexicon.find_entities(text)
    assert [(text[m.start:m.end], m.entity) for m in found] == [
        ("Lebanon", "Lebanon"), ("Hezbollah", "Hezbollah"), ("Hamas", "Hamas")]
    assert found[1].variant == "Hezbollah"


def test_classify_tells_labels_from_entities(lexicon):
    assert lexicon.classify("regime") == "label"
    assert lexicon.classify("Militants") == "label"
    assert lexicon.classify("al Hayya") == "entity"
    assert lexicon.classify("Syrian") == "entity"
    assert lexicon.classify("Hamas officials") == ""


def test_lexicon_pickles_without_its_automaton(lexicon):
    lexicon.find_entities("Hamas")
    clone = pickle.loads(pickle.dumps(lexicon))
    assert clone.matcher._automaton is None
    assert [m.entity for m in clone.find_entities("Hamas and Hizbollah")] == ["Hamas", "Hezbollah"]
    assert clone.hash == lexicon.hash


def test_verbs_and_boilerplate_are_loaded_from_their_files(tmp_path):
    folder = write(tmp_path / "lx", {
        "attribution_verbs.csv": "form,lemma,connotation,source\nSaid,say,neutral,test\nclaimed,claim,distancing,test\n",
        "boilerplate.csv": "rule,kind,pattern,source\nread_more,paragraph,(?i)READ MORE:.*,test\n",
    })
    lx = load_lexicon(folder, extend=False)
    assert set(lx.verbs) == {"said", "claimed"}
    assert lx.verbs["said"].lemma == "say" and lx.verbs["claimed"].connotation == "distancing"
    (rule,) = lx.boilerplate
    assert rule.rule == "read_more" and rule.pattern.fullmatch("read more: x")
    assert rule.where == f"{folder / 'boilerplate.csv'}:2"


# --- several folders -----------------------------------------------------------------------------


def test_a_user_folder_extends_the_shipped_lexicon(tmp_path):
    folder = write(tmp_path / "mine", {
        "entities.csv": ENTITY_HEADER + "Hamas,Hamaas,,,my corpus\nMohammed Sinwar,Mohammed Sinwar,person,Hamas,my notes\n",
    })
    lx = load_lexicon([folder])
    assert lx.entity_for("Hamaas").name == "Hamas"
    assert lx.entity_for("Hezbollah").name == "Hezbollah"
    assert lx.entities["Mohammed Sinwar"].voice == "Hamas"
    assert lx.hash != load_lexicon().hash


def test_extend_false_uses_only_the_given_folder(tmp_path):
    folder = write(tmp_path / "mine", {"entities.csv": ENTITY_HEADER + "Hamas,Hamas,armed_group,Hamas,test\n"})
    lx = load_lexicon(str(folder), extend=False)
    assert list(lx.entities) == ["Hamas"]
    assert lx.boilerplate == () and lx.verbs == {} and lx.label_sets == {}


def test_a_user_row_contradicting_a_shipped_row_names_both_lines(tmp_path):
    folder = write(tmp_path / "mine", {"entities.csv": ENTITY_HEADER + "Fatah,Hamas,political_party,,test\n"})
    with pytest.raises(LexiconError) as err:
        load_lexicon([folder])
    (line,) = err.value.errors
    assert line.startswith(f"{folder / 'entities.csv'}:2: 'Hamas' is already a variant of entity 'Hamas' (")
    assert str(DEFAULT_LEXICON_DIR / "entities.csv") in line


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(LexiconError, match="no such lexicon folder"):
        load_lexicon([tmp_path / "nowhere"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(LexiconError, match="no lexicon file here"):
        load_lexicon([tmp_path / "empty"], extend=False)


def test_the_hash_follows_the_bytes(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(DEFAULT_LEXICON_DIR, copy)
    first = load_lexicon(copy, extend=False).hash
    assert first == load_lexicon().hash
    with open(copy / "entities.csv", "a", encoding="utf-8") as fh:
        fh.write("Hamas,Hamaas,,,,,test\n")  # entity,variant,type,voice,kind,case,source
    assert load_lexicon(copy, extend=False).hash != first


def test_blank_and_comment_rows_are_skipped(tmp_path):
    folder = write(tmp_path / "lx", {"entities.csv": ENTITY_HEADER + "\n# a note\n,,,,\nHamas,Hamas,armed_group,Hamas,test\n"})
    assert list(load_lexicon(folder, extend=False).entities) == ["Hamas"]


# --- bad files: one clear line each --------------------------------------------------------------

TARGETS = "set,entity,source\n"
LABELS = "set,label,form,source\n"
GOOD_ENTITIES = ENTITY_HEADER + "Hamas,Hamas,armed_group,Hamas,test\nSyria,Syria,state,Syrian state,test\n"

BAD = [
    ({"entities.csv": "entity,varient,type,voice,source\n"}, "entities.csv", 1, "unknown column 'varient' (did you mean 'variant'?)"),
    ({"entities.csv": "entity,variant,type,source\n"}, "entities.csv", 1, "missing column 'voice'"),
    ({"entities.csv": "entity,variant,variant,type,voice,source\n"}, "entities.csv", 1, "column 'variant' appears twice"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,Hamas,armed_group,Hamas,test\nHezbollah,Hamas,armed_group,Hezbollah,test\n"},
     "entities.csv", 3, "'Hamas' is already a variant of entity 'Hamas'"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,,armed_group,Hamas,test\n"}, "entities.csv", 2, "empty variant"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,--,armed_group,Hamas,test\n"}, "entities.csv", 2, "has no letter or digit"),
    ({"entities.csv": ENTITY_HEADER + ",Hamas,armed_group,Hamas,test\n"}, "entities.csv", 2, "empty entity"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,Hamas,armed_group,Hamas,\n"}, "entities.csv", 2, "empty source"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,Hamas,armed_group,Hamas,test\nHamas,HMS,party,,test\n"},
     "entities.csv", 3, "entity 'Hamas' has type 'armed_group' at"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,Hamas,,Hamas,test\n"}, "entities.csv", 2, "entity 'Hamas' has no type on any row"),
    ({"entities.csv": "entity,variant,type,voice,kind,source\nSyria,Syrian,state,,adverb,test\n"},
     "entities.csv", 2, "kind must be 'name' or 'adjective'"),
    ({"entities.csv": "entity,variant,type,voice,case,source\nUnited States,US,state,,upper,test\n"},
     "entities.csv", 2, "case must be 'exact' or 'ignore'"),
    ({"entities.csv": ENTITY_HEADER + "Hamas,Hamas,armed_group,Hamas,test,extra\n"}, "entities.csv", 2, "6 cells but the header has 5"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,militant,militant,test\n",
      "label_targets.csv": TARGETS + "armed,Hamaas,test\n"},
     "label_targets.csv", 2, "unknown entity 'Hamaas' (did you mean 'Hamas'?)"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,militant,militant,test\n", "label_targets.csv": TARGETS},
     "label_sets.csv", 2, "label set 'armed' has no targets"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,militant,militant,test\n",
      "label_targets.csv": TARGETS + "armed,Hamas,test\narmd,Syria,test\n"},
     "label_targets.csv", 3, "unknown label set 'armd' (did you mean 'armed'?)"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,militant,militant,test\nstate,regime,regime,test\n",
      "label_targets.csv": TARGETS + "armed,Hamas,test\nstate,Syria,test\nstate,Hamas,test\n"},
     "label_targets.csv", 4, "entity 'Hamas' is already a target of set 'armed'"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,militant,Hamas,test\n",
      "label_targets.csv": TARGETS + "armed,Hamas,test\n"},
     "label_sets.csv", 2, "'Hamas' is already a variant of entity 'Hamas'"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,militant,,test\narmed,militant,militant,test\n",
      "label_targets.csv": TARGETS + "armed,Hamas,test\n"},
     "label_sets.csv", 2, "empty form"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "armed,none,unlabelled,test\n",
      "label_targets.csv": TARGETS + "armed,Hamas,test\n"},
     "label_sets.csv", 2, "label 'none' is reserved"),
    ({"entities.csv": GOOD_ENTITIES, "label_sets.csv": LABELS + "Armed Groups,militant,militant,test\n"},
     "label_sets.csv", 2, "set name 'Armed Groups' must be lower-case"),
    ({"attribution_verbs.csv": "form,lemma,connotation,source\nsaid,,neutral,test\n"}, "attribution_verbs.csv", 2, "empty lemma"),
    ({"attribution_verbs.csv": "form,lemma,connotation,source\nsaid,say,neutral,test\nSaid,say,neutral,test\n"},
     "attribution_verbs.csv", 3, "verb form 'Said' already listed"),
    ({"attribution_verbs.csv": "form,lemma,source\n"}, "attribution_verbs.csv", 1, "missing column 'connotation'"),
    ({"boilerplate.csv": "rule,kind,pattern,source\nbad,paragraph,(?i)READ MORE:(,test\n"},
     "boilerplate.csv", 2, "bad regular expression in pattern: missing ), unterminated subpattern"),
    ({"boilerplate.csv": "rule,kind,pattern,source\nx,sentence,foo,test\n"}, "boilerplate.csv", 2, "unknown kind 'sentence'"),
    ({"boilerplate.csv": "rule,kind,pattern,source\nx,span,foo,test\nx,span,bar,test\n"},
     "boilerplate.csv", 3, "rule 'x' already defined"),
    ({"entities.csv": ""}, "entities.csv", 1, "empty file"),
]


@pytest.mark.parametrize("files, bad_file, line, message", BAD, ids=[b[3][:40] for b in BAD])
def test_a_bad_row_gives_one_file_line_error(tmp_path, files, bad_file, line, message):
    folder = write(tmp_path / "lx", files)
    with pytest.raises(LexiconError) as err:
        load_lexicon(folder, extend=False)
    assert len(err.value.errors) == 1, err.value.errors
    (text,) = err.value.errors
    assert text.startswith(f"{folder / bad_file}:{line}: "), text
    assert message in text
    assert str(err.value) == text and "\n" not in text


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    folder = tmp_path / "lx"
    folder.mkdir()
    (folder / "entities.csv").write_bytes(ENTITY_HEADER.encode() + "Türkiye,Türkiye,state,,test\n".encode("latin-1"))
    with pytest.raises(LexiconError, match=r"entities\.csv: not UTF-8"):
        load_lexicon(folder, extend=False)


def test_every_problem_is_reported_at_once(tmp_path):
    folder = write(tmp_path / "lx", {"entities.csv": ENTITY_HEADER + "Hamas,,x,,test\nIran,Iran,,,\n"})
    with pytest.raises(LexiconError) as err:
        load_lexicon(folder, extend=False)
    where = folder / "entities.csv"
    assert err.value.errors == [
        f"{where}:2: empty variant",
        f"{where}:3: empty source (say who or what justifies this row)",
        f"{where}:3: entity 'Iran' has no type on any row",
    ]
    assert str(err.value).splitlines() == err.value.errors
