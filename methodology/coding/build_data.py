#!/usr/bin/env python3
"""Builds training.tsv and evaluation-set/evaluation.tsv from the hand-written files, and checks them (issue #17).

Run from the repository root:  python3 methodology/coding/build_data.py
  situations/batch-*.tsv      one situation per line: unit, sdgs, direction, en, ru, kk (three texts written separately)
  evaluation-set/answers-*.tsv one answer per line: unit, sdgs, direction, language, text (never used for training or tuning)
Output columns: id, language, isco_code (ISCO-08 unit group), sdg_goals (primary goal first), sdg_primary, direction,
group, text. The three language rows of a situation share a group id (group-aware cross-validation keeps them together).

Checks (the run stops on the first hard error): field counts, ISCO-08 unit groups (four digits under a civilian
sub-major group), goals 1-17 without repeats, Forum directions, no tab or empty text, no duplicate text after
normalisation, no evaluation text in the training data. Reports: coverage of every sub-major group that volunteer
work touches, of every goal as primary and as any label, of every direction and language, and the evaluation answers
that are near-duplicates of a training text (character 4-gram Jaccard >= 0.6), which were rewritten until none was
left. Same input, same bytes.
"""
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LANGUAGES = ["en", "ru", "kk"]
SUB_MAJOR = {11, 12, 13, 14, 21, 22, 23, 24, 25, 26, 31, 32, 33, 34, 35, 41, 42, 43, 44, 51, 52, 53, 54,
             61, 62, 63, 71, 72, 73, 74, 75, 81, 82, 83, 91, 92, 93, 94, 95, 96}
# 63 (subsistence farmers) is not volunteer work (rules.md section 1, rule 6); every other sub-major group must occur.
REQUIRED_SUB_MAJOR = SUB_MAJOR - {63}
DIRECTIONS = {"climate_eco", "health", "inclusion", "education", "international", "social", "emergencies", "ethno", "it_media"}
# Character 4-gram Jaccard similarity from which an evaluation answer counts as a near-duplicate of a training text.
NEAR = 0.6
# Independent sets written apart from training (A: development; B and C: spent final tests of 2.3 and 2.4; D: final test of 2.5); only counted, never shown.
INDEPENDENT_SETS = ["independent-set", "independent-set-b", "independent-set-c", "independent-set-d", "independent-set-e", "independent-set-f"]
HEADER = "id\tlanguage\tisco_code\tsdg_goals\tsdg_primary\tdirection\tgroup\ttext"


def normalise(text):
    """Close to ActivityText.Normalize: NFKC, lower case, no apostrophes, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = re.sub(r"['’‘ʻʼ`]", "", text)
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


def fail(message):
    sys.exit("error: " + message)


def parse_labels(where, unit, sdgs, direction):
    if not re.fullmatch(r"[1-9]\d{3}", unit) or int(unit[:2]) not in SUB_MAJOR:
        fail(f"{where}: '{unit}' is not an ISCO-08 unit group of major groups 1-9")
    goals = [int(g) for g in sdgs.split(";")] if re.fullmatch(r"\d{1,2}(;\d{1,2})*", sdgs) else []
    if not goals or any(g < 1 or g > 17 for g in goals) or len(set(goals)) != len(goals):
        fail(f"{where}: goals '{sdgs}' must be distinct goals 1-17, primary first, separated by ';'")
    if direction not in DIRECTIONS:
        fail(f"{where}: '{direction}' is not a Forum direction ({', '.join(sorted(DIRECTIONS))})")
    return goals


def read_rows(path, header, fields):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[0] != header:
        fail(f"{path}:1: the header must be '{header}'")
    for number, line in enumerate(lines[1:], 2):
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != fields:
            fail(f"{path}:{number}: expected {fields} tab-separated fields, found {len(parts)}")
        if any(not p.strip() for p in parts):
            fail(f"{path}:{number}: a field is empty")
        yield f"{os.path.relpath(path)}:{number}", parts


def read_training():
    folder = os.path.join(HERE, "situations")
    situations = []
    for name in sorted(n for n in os.listdir(folder) if n.startswith("batch-") and n.endswith(".tsv")):
        for where, (unit, sdgs, direction, en, ru, kk) in read_rows(os.path.join(folder, name), "unit\tsdgs\tdirection\ten\tru\tkk", 6):
            goals = parse_labels(where, unit, sdgs, direction)
            situations.append((where, unit, goals, direction, [en.strip(), ru.strip(), kk.strip()]))
    return situations


def read_evaluation():
    folder = os.path.join(HERE, "evaluation-set")
    answers = []
    for name in sorted(n for n in os.listdir(folder) if n.startswith("answers-") and n.endswith(".tsv")):
        for where, (unit, sdgs, direction, language, text) in read_rows(os.path.join(folder, name), "unit\tsdgs\tdirection\tlanguage\ttext", 5):
            goals = parse_labels(where, unit, sdgs, direction)
            if language not in LANGUAGES:
                fail(f"{where}: language '{language}' is not one of {LANGUAGES}")
            answers.append((where, unit, goals, direction, language, text.strip()))
    return answers


def grams(text, n=4):
    t = f" {normalise(text)} "
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def row(prefix, number, language, unit, goals, direction, group, text):
    return f"{prefix}{number:05d}\t{language}\t{unit}\t{';'.join(map(str, goals))}\t{goals[0]}\t{direction}\t{group}\t{text}"


def report(name, labelled):
    """labelled: list of (unit, goals, direction, language)."""
    print(f"{name}: {len(labelled)} rows")
    for language in LANGUAGES:
        subset = [x for x in labelled if x[3] == language]
        majors = {}
        for unit, _, _, _ in subset:
            majors[unit[0]] = majors.get(unit[0], 0) + 1
        print(f"  {language}: {len(subset)} rows; per major group " + " ".join(f"{k}:{v}" for k, v in sorted(majors.items())))
    subs = {}
    primary = {}
    anygoal = {}
    directions = {}
    for unit, goals, direction, _ in labelled:
        subs[int(unit[:2])] = subs.get(int(unit[:2]), 0) + 1
        primary[goals[0]] = primary.get(goals[0], 0) + 1
        for g in goals:
            anygoal[g] = anygoal.get(g, 0) + 1
        directions[direction] = directions.get(direction, 0) + 1
    print("  sub-major groups: " + " ".join(f"{k}:{v}" for k, v in sorted(subs.items())))
    print("  unit groups: " + str(len({x[0] for x in labelled})))
    print("  primary goal: " + " ".join(f"{k}:{v}" for k, v in sorted(primary.items())))
    print("  any goal: " + " ".join(f"{k}:{v}" for k, v in sorted(anygoal.items())))
    print("  directions: " + " ".join(f"{k}:{v}" for k, v in sorted(directions.items())))
    return subs, anygoal, primary, directions


def main():
    training = read_training()
    evaluation = read_evaluation()

    seen = {}
    for where, _, _, _, texts in training:
        for text in texts:
            key = normalise(text)
            if key in seen:
                fail(f"{where}: the text '{text}' repeats {seen[key]} after normalisation")
            seen[key] = where
    for where, _, _, _, _, text in evaluation:
        key = normalise(text)
        if key in seen:
            fail(f"{where}: the evaluation text '{text}' is also in the training data ({seen[key]}) or repeats")
        seen[key] = where

    lines = [HEADER]
    n = 0
    for s, (_, unit, goals, direction, texts) in enumerate(training, 1):
        for language, text in zip(LANGUAGES, texts):
            n += 1
            lines.append(row("s", n, language, unit, goals, direction, f"s{s:04d}", text))
    with open(os.path.join(HERE, "training.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    lines = [HEADER]
    for a, (_, unit, goals, direction, language, text) in enumerate(evaluation, 1):
        lines.append(row("e", a, language, unit, goals, direction, f"e{a:04d}", text))
    with open(os.path.join(HERE, "evaluation-set", "evaluation.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")

    print(f"training: {len(training)} situations")
    subs, anygoal, _, directions = report("training", [(u, g, d, l) for _, u, g, d, t in training for l in LANGUAGES])
    report("evaluation", [(u, g, d, l) for _, u, g, d, l, _ in evaluation])
    missing = sorted(REQUIRED_SUB_MAJOR - set(subs))
    if missing:
        fail(f"training lacks the sub-major groups {missing}")
    if set(range(1, 18)) - set(anygoal):
        fail(f"training lacks the goals {sorted(set(range(1, 18)) - set(anygoal))}")
    if DIRECTIONS - set(directions):
        fail(f"training lacks the directions {sorted(DIRECTIONS - set(directions))}")

    training_grams = [(where, text, grams(text)) for where, _, _, _, texts in training for text in texts]
    near = 0
    for where, _, _, _, _, text in evaluation:
        g = grams(text)
        best = max(training_grams, key=lambda t: len(g & t[2]) / max(1, len(g | t[2])))
        score = len(g & best[2]) / max(1, len(g | best[2]))
        if score >= NEAR:
            near += 1
            print(f"near-duplicate ({score:.2f}): {where} '{text}' ~ {best[0]} '{best[1]}'")
    print(f"evaluation answers that are near-duplicates of a training text: {near}")
    for name in INDEPENDENT_SETS:
        leak_check(name, training_grams)


def nearest(text, training_grams):
    """The largest character 4-gram Jaccard similarity of text to any training text."""
    g = grams(text)
    return max(len(g & t[2]) / max(1, len(g | t[2])) for t in training_grams)


def read_answers(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    column = lines[0].split("\t").index("text")
    return lines[0], [(line, line.split("\t")[column]) for line in lines[1:] if line]


def leak_check(name, training_grams):
    """Counts (never prints) answers of an independent set that are near-duplicates of a training text.

    Training writers never open the independent sets, so this is the check that nothing leaked by chance; only counts
    are printed, so running it does not show the answers to whoever writes training data."""
    path = os.path.join(HERE, name, "answers.tsv")
    if not os.path.exists(path):
        return
    _, answers = read_answers(path)
    counts = {0.5: 0, 0.6: 0, 0.8: 0}
    for _, text in answers:
        score = nearest(text, training_grams)
        for cut in counts:
            counts[cut] += score >= cut
    print(f"{name}: {len(answers)} answers; near a training text (4-gram Jaccard) >= 0.5: {counts[0.5]}, "
          f">= 0.6: {counts[0.6]}, >= 0.8: {counts[0.8]}")


def without_near_duplicates(path, out):
    """Writes the answers of a labelled file whose nearest training text is below NEAR (evaluation.md: set B without
    its near-duplicates); prints only the counts."""
    training_grams = [(where, text, grams(text)) for where, _, _, _, texts in read_training() for text in texts]
    header, answers = read_answers(path)
    kept = [line for line, text in answers if nearest(text, training_grams) < NEAR]
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join([header, *kept]) + "\n")
    print(f"{path}: kept {len(kept)} of {len(answers)} answers (nearest training text < {NEAR}); wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--without-near-duplicates":
        without_near_duplicates(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit("usage: build_data.py [--without-near-duplicates ANSWERS.tsv OUT.tsv]")
