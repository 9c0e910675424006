#!/usr/bin/env python3
"""Builds training.tsv and heldout.tsv from the hand-written situations in methodology/coding/written/.

Run from the repository root:  python3 methodology/coding/build_data.py
Each non-comment line of written/*.txt is one situation: sub-major|goals|en|ru|kk|uz. Every language text becomes
one row; the four rows of a situation share a `group` id, so group-aware cross-validation keeps them in one fold.
training-*.txt -> training.tsv (groups s0001...), heldout.txt -> heldout.tsv (groups h0001...).
The script checks the codes, the goals, the field count and that no held-out text occurs in the training data, and
prints the counts per major group and language. Same input, same bytes (no clock, no randomness).
"""
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
WRITTEN = os.path.join(HERE, "written")
LANGUAGES = ["en", "ru", "kk", "uz"]
# ISCO-08 sub-major groups of the civilian major groups 1-9.
SUB_MAJOR = {11, 12, 13, 14, 21, 22, 23, 24, 25, 26, 31, 32, 33, 34, 35, 41, 42, 43, 44, 51, 52, 53, 54,
             61, 62, 63, 71, 72, 73, 74, 75, 81, 82, 83, 91, 92, 93, 94, 95, 96}
# Goals of the nine Forum directions (methodology/coding/README.md).
GOALS = {3, 4, 8, 9, 10, 11, 13, 17}


def normalise(text):
    """Close to ActivityText.Normalize: NFKC, lower case, no apostrophes, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = re.sub(r"['’‘ʻʼ`]", "", text)
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


def read(path):
    situations = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("|")
            if len(fields) != 6:
                sys.exit(f"{path}:{number}: expected 6 fields separated by '|', found {len(fields)}")
            code, goals = fields[0], fields[1]
            if not code.isdigit() or int(code) not in SUB_MAJOR:
                sys.exit(f"{path}:{number}: '{code}' is not an ISCO-08 sub-major group of major groups 1-9")
            goal_list = sorted({int(g) for g in goals.split(";")})
            if not goal_list or any(g not in GOALS for g in goal_list):
                sys.exit(f"{path}:{number}: goals '{goals}' must be among {sorted(GOALS)}")
            texts = [t.strip() for t in fields[2:]]
            if any(not t or "\t" in t for t in texts):
                sys.exit(f"{path}:{number}: a text is empty or contains a tab")
            situations.append((code, ";".join(map(str, goal_list)), texts))
    return situations


def write(path, situations, prefix):
    rows = ["id\tlanguage\tisco_code\tsdg_goals\tgroup\ttext"]
    n = 0
    for s, (code, goals, texts) in enumerate(situations, 1):
        group = f"{prefix}{s:04d}"
        for language, text in zip(LANGUAGES, texts):
            n += 1
            rows.append(f"{prefix}{n:05d}\t{language}\t{code}\t{goals}\t{group}\t{text}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rows) + "\n")


def counts(name, situations):
    print(f"{name}: {len(situations)} situations, {4 * len(situations)} rows")
    by_major = {}
    by_sub = {}
    for code, _, _ in situations:
        by_major[code[0]] = by_major.get(code[0], 0) + 1
        by_sub[code] = by_sub.get(code, 0) + 1
    print("  per major group (each count is per language):", " ".join(f"{k}:{v}" for k, v in sorted(by_major.items())))
    print("  per sub-major group (per language):", " ".join(f"{k}:{v}" for k, v in sorted(by_sub.items())))
    goals = {}
    for _, g, _ in situations:
        for goal in g.split(";"):
            goals[goal] = goals.get(goal, 0) + 1
    print("  goal labels (per language):", " ".join(f"{k}:{v}" for k, v in sorted(goals.items(), key=lambda kv: int(kv[0]))))


def main():
    training = []
    for name in sorted(os.listdir(WRITTEN)):
        if name.startswith("training-") and name.endswith(".txt"):
            training += read(os.path.join(WRITTEN, name))
    heldout = read(os.path.join(WRITTEN, "heldout.txt"))
    seen = {normalise(t) for _, _, texts in training for t in texts}
    for _, _, texts in heldout:
        for t in texts:
            if normalise(t) in seen:
                sys.exit(f"held-out text also in training: {t}")
    duplicates = [t for _, _, texts in training for t in texts]
    if len({normalise(t) for t in duplicates}) != len(duplicates):
        print("note: some training texts repeat after normalisation")
    write(os.path.join(HERE, "training.tsv"), training, "s")
    write(os.path.join(HERE, "heldout.tsv"), heldout, "h")
    counts("training", training)
    counts("held-out", heldout)


if __name__ == "__main__":
    main()
