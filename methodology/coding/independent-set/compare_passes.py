#!/usr/bin/env python3
"""Compares the first labels (answers.tsv) with the blind second pass (pass2/labels.txt, keyed by pass2/key.tsv)
and lists every disagreement. Issue #17, independent evaluation set."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
first = {}
with open(os.path.join(HERE, "answers.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        rid, lang, code, goals, primary, direction, group, text = line.rstrip("\n").split("\t")
        first[rid] = (code, goals.split(";"), direction, text)
key = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(HERE, "pass2", "key.tsv"), encoding="utf-8"))
second = {}
for line in open(os.path.join(HERE, "pass2", "labels.txt"), encoding="utf-8"):
    n, code, goals, direction = line.rstrip("\n").split("|")
    second[key[n]] = (code, goals.split(";"), direction)
assert set(second) == set(first), "the second pass must label every answer once"

counts = dict(unit=0, submajor=0, major=0, primary=0, goalset=0, direction=0)
for rid in sorted(first):
    a, b = first[rid], second[rid]
    diffs = []
    if a[0] != b[0]:
        counts["unit"] += 1
        counts["submajor"] += a[0][:2] != b[0][:2]
        counts["major"] += a[0][0] != b[0][0]
        diffs.append(f"isco {a[0]}→{b[0]}")
    if a[1][0] != b[1][0]:
        counts["primary"] += 1
        diffs.append(f"primary {a[1][0]}→{b[1][0]}")
    if set(a[1]) != set(b[1]):
        counts["goalset"] += 1
        diffs.append(f"goals {';'.join(a[1])}→{';'.join(b[1])}")
    if a[2] != b[2]:
        counts["direction"] += 1
        diffs.append(f"direction {a[2]}→{b[2]}")
    if diffs:
        print(f"{rid}\t{', '.join(diffs)}\t{a[3]}")
print(f"answers {len(first)}; disagreements: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
