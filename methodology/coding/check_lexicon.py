#!/usr/bin/env python3
"""Validate methodology/coding/lexicon.tsv and measure how its forms match the training texts.

Usage: python3 methodology/coding/check_lexicon.py [--tokens] [--all] [--concept ID]

Checks (any failure exits with status 1):
  * header `concept<TAB>language<TAB>form`, three fields per row, UTF-8;
  * language is en, ru or kk; concept is a lower-case ASCII id ([a-z][a-z0-9_]*);
  * form is already normalised the way the coder normalises text (ActivityText.Normalize: lower case, ё→е,
    apostrophes removed, other non-letters → spaces) and is one word or a phrase of words separated by one space;
  * length rules: a one-word form has at least 4 letters, or 2-3 letters when listed in SHORT_OK (checked to be
    unambiguous); every word of a phrase has at least 2 letters;
  * no duplicate (concept, language, form) row; a form listed under two concepts of one language is reported.

Then it prints the number of concepts and forms per language and, for each form, how many training texts of its
language it matches (matching as the coder's hook will do it: a one-word form matches a token that starts with it; a
phrase matches consecutive tokens, each starting with the phrase's words). "check precision" lists the forms whose
matches spread over at least 4 ISCO major groups and fall mostly outside both the major groups and the primary
goals in which the concept's forms match (over all languages; a purpose concept such as water or disability is
meant to predict the goal, not the group): a heuristic for a human to read, not a verdict. Forms that match no training text
are listed too (they may be right, the training set is small, but each should be read once).
--tokens prints, per form, the distinct training tokens (or token sequences) it matches, to read for false hits.
"""
import collections
import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEXICON = HERE / "lexicon.tsv"
TRAINING = HERE / "training.tsv"
LANGUAGES = ("en", "ru", "kk")
# Three-letter forms accepted after checking that no common unrelated word starts with them.
SHORT_OK = {
    "en": {"cpr", "hiv", "std", "smm", "esl", "unt", "dug", "cv", "fix", "dog", "co2", "ngo"},
    "ru": {"зож", "пдд", "вич", "слр", "цон", "смм", "ент", "огэ", "егэ", "дцп", "оон", "мчс", "лфк", "овз", "юрт", "шью", "нищ", "smm", "кск", "нко", "чай"},
    "kk": {"цон", "ент", "ұбт", "тжм", "бұұ", "өрт", "вич", "смм", "дцп", "құс", "smm", "пиб", "кск", "үеұ", "қеұ"},
}
CONCEPT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
APOSTROPHES = "'\u2019\u2018\u02bb\u02bc`"


def normalize(text: str) -> str:
    """Python port of ActivityText.Normalize (src/ContributionIndex/Classify/Coding/ActivityText.cs)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    out = []
    pending = False
    for ch in folded:
        if ch in APOSTROPHES:
            continue
        if unicodedata.category(ch) in ("Mn", "Me", "Mc"):
            continue
        if ch.isalnum():
            if pending and out:
                out.append(" ")
            pending = False
            out.append("е" if ch == "ё" else ch)
        else:
            pending = True
    return "".join(out)


def load_lexicon(errors):
    rows = []
    with open(LEXICON, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "concept\tlanguage\tform":
        errors.append("header must be 'concept<TAB>language<TAB>form'")
        return rows
    seen = set()
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 3:
            errors.append(f"line {number}: {len(fields)} fields")
            continue
        concept, language, form = fields
        if not CONCEPT_RE.match(concept) or not concept.isascii():
            errors.append(f"line {number}: bad concept id '{concept}'")
        if language not in LANGUAGES:
            errors.append(f"line {number}: bad language '{language}'")
        if form != normalize(form) or form != form.strip() or "  " in form:
            errors.append(f"line {number}: form '{form}' is not normalised (expected '{normalize(form)}')")
        words = form.split(" ")
        if len(words) == 1:
            if len(form) < 4 and form not in SHORT_OK.get(language, set()):
                errors.append(f"line {number}: one-word form '{form}' shorter than 4 letters and not in SHORT_OK")
        else:
            if len(words) > 3:
                errors.append(f"line {number}: phrase '{form}' has more than three words")
            for word in words:
                if len(word) < 2:
                    errors.append(f"line {number}: phrase '{form}' has a word shorter than 2 letters")
        key = (concept, language, form)
        if key in seen:
            errors.append(f"line {number}: duplicate row {concept}/{language}/{form}")
        seen.add(key)
        rows.append(key)
    return rows


def load_training():
    texts = collections.defaultdict(list)
    with open(TRAINING, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            texts[row["language"]].append((row["isco_code"][0], row["sdg_primary"], normalize(row["text"]).split(" ")))
    return texts


def matches(form_words, tokens):
    """Yields the matched token sequence for every position where the form matches."""
    n = len(form_words)
    for i in range(len(tokens) - n + 1):
        if all(tokens[i + k].startswith(form_words[k]) for k in range(n)):
            yield " ".join(tokens[i:i + n])


def main(argv):
    show_tokens = "--tokens" in argv
    show_all = "--all" in argv
    only = argv[argv.index("--concept") + 1] if "--concept" in argv else None
    errors = []
    rows = load_lexicon(errors)
    by_language_form = collections.defaultdict(set)
    for concept, language, form in rows:
        by_language_form[(language, form)].add(concept)
    shared = {k: v for k, v in by_language_form.items() if len(v) > 1}
    for (language, form), concepts in sorted(shared.items()):
        print(f"note: {language} form '{form}' is listed under {len(concepts)} concepts: {', '.join(sorted(concepts))}")
    if errors:
        for error in errors:
            print("ERROR", error)
        print(f"{len(errors)} errors")
        return 1

    concepts = sorted({c for c, _, _ in rows})
    print(f"lexicon: {len(rows)} rows, {len(concepts)} concepts")
    for language in LANGUAGES:
        lang_rows = [r for r in rows if r[1] == language]
        lang_concepts = {r[0] for r in lang_rows}
        phrases = sum(1 for r in lang_rows if " " in r[2])
        print(f"  {language}: {len(lang_concepts)} concepts, {len(lang_rows)} forms ({phrases} phrases), "
              f"{len(lang_rows) / max(1, len(lang_concepts)):.1f} forms per concept")

    training = load_training()
    form_hits = {}
    concept_majors = collections.defaultdict(collections.Counter)
    concept_goals = collections.defaultdict(collections.Counter)
    for concept, language, form in rows:
        words = form.split(" ")
        majors = collections.Counter()
        goals = collections.Counter()
        tokens_seen = collections.Counter()
        for major, goal, tokens in training[language]:
            found = list(matches(words, tokens))
            if found:
                majors[major] += 1
                goals[goal] += 1
                tokens_seen.update(found)
        form_hits[(concept, language, form)] = (majors, tokens_seen, goals)
        concept_majors[concept].update(majors)
        concept_goals[concept].update(goals)

    covered = collections.Counter()
    for language in LANGUAGES:
        lexicon_forms = [(c, f.split(" ")) for c, l, f in rows if l == language]
        for _, _, tokens in training[language]:
            if any(any(True for _ in matches(words, tokens)) for _, words in lexicon_forms):
                covered[language] += 1
        print(f"  {language}: {covered[language]} of {len(training[language])} training texts "
              f"({covered[language] / max(1, len(training[language])):.1%}) match at least one form")

    unmatched = [k for k, (majors, _, _) in form_hits.items() if not majors]
    print(f"forms matching no training text: {len(unmatched)} "
          + " ".join(f"{l}:{sum(1 for k in unmatched if k[1] == l)}" for l in LANGUAGES))

    print("\ncheck precision (>= 4 major groups, < 50 % of hits in the concept's two main major groups, and < 50 % of"
          " hits with a primary goal among the concept's two main goals):")
    flagged = 0
    for (concept, language, form), (majors, tokens_seen, goals) in sorted(form_hits.items()):
        if only and concept != only:
            continue
        total = sum(majors.values())
        if len(majors) < 4:
            continue
        main_groups = [g for g, _ in concept_majors[concept].most_common(2)]
        main_goals = [g for g, _ in concept_goals[concept].most_common(2)]
        inside = sum(majors[g] for g in main_groups)
        inside_goal = sum(goals[g] for g in main_goals)
        if inside / total < 0.5 and inside_goal / total < 0.5:
            flagged += 1
            top = ", ".join(f"{g}:{n}" for g, n in majors.most_common())
            top_goals = ", ".join(f"{g}:{n}" for g, n in goals.most_common(4))
            sample = ", ".join(t for t, _ in tokens_seen.most_common(6))
            print(f"  {concept}\t{language}\t{form}\t{total} texts\tgroups {top}\tconcept main {'+'.join(main_groups)}"
                  f"\tgoals {top_goals}\tconcept goals {'+'.join(main_goals)}\t[{sample}]")
    print(f"{flagged} forms to check")

    if show_tokens or show_all:
        print("\nper form: training texts matched, major groups, matched tokens")
        for (concept, language, form), (majors, tokens_seen, _) in form_hits.items():
            if only and concept != only:
                continue
            total = sum(majors.values())
            groups = " ".join(f"{g}:{n}" for g, n in majors.most_common())
            line = f"{concept}\t{language}\t{form}\t{total}\t{groups}"
            if show_tokens:
                line += "\t" + ", ".join(f"{t}" for t, _ in tokens_seen.most_common(12))
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
