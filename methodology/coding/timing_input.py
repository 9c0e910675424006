#!/usr/bin/env python3
"""Writes the doubled *timing* input for `contrib classify bench --train` and `contrib classify train` (issue #17,
training < 60 s with about twice today's data). Never training data: do not commit its output or train a shipped
model on it.

It is methodology/coding/training.tsv followed by a second copy of every row with the words of its text in reverse
order (split on single spaces), the id and group suffixed with "r". Reversed texts keep the vocabulary and the
character 1-5-grams inside words but add new word bigrams and new n-grams across word boundaries, so the feature
dictionaries grow as with new texts. Usage: python3 methodology/coding/timing_input.py [OUT] (default
/tmp/training-doubled.tsv).
"""
import sys
from pathlib import Path

source = Path(__file__).resolve().parent / "training.tsv"
target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/training-doubled.tsv")
lines = source.read_text(encoding="utf-8").split("\n")
header = lines[0].split("\t")
rows = [line.split("\t") for line in lines[1:] if line]
column = {name: i for i, name in enumerate(header)}


def reversed_copy(row):
    copy = list(row)
    copy[column["id"]] += "r"
    copy[column["group"]] += "r"
    copy[column["text"]] = " ".join(reversed(row[column["text"]].split(" ")))
    return copy


copies = [reversed_copy(r) for r in rows]
target.write_text("\n".join("\t".join(r) for r in [header] + rows + copies) + "\n", encoding="utf-8")
print(f"wrote {target}: {len(rows)} rows of {source.name} and {len(copies)} reversed copies")
