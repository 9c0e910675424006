#!/usr/bin/env python3
"""Reliability of the coder's confidences on a labelled set that chose nothing (issue #17: "calibrated probabilities,
reliability table in methodology/coding/evaluation.md").

Run from the repository root (evaluation.md, "Set B"):
  python3 methodology/coding/reliability.py prepare methodology/coding/independent-set-b/answers.tsv > /tmp/b.csv
  contrib classify --input /tmp/b.csv --text-column text --lang-column language --direction-column direction --out /tmp/b-coded.csv
  python3 methodology/coding/reliability.py table /tmp/b-coded.csv

`prepare` writes a labelled TSV (id, language, isco_code, sdg_goals, direction, text) as the CSV a survey would give the
coder, with the labels under names the coder does not write (label_isco, label_goals). `table` prints, for the ISCO
major-group confidence (right = major group of the labelled unit group) and for the SDG confidence (right = first
proposed goal among the labelled goals), ten equal-width bins of confidence: rows, mean confidence, share right, and
the expected calibration error ECE = sum over bins of (rows / n) * |share right - mean confidence|. Only aggregates are
printed, so running it on the final test set shows none of its answers. It fits and chooses nothing.
"""
import csv
import sys

BINS = 10


def prepare(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "language", "direction", "label_isco", "label_goals", "text"])
    for row in rows:
        out.writerow([row["id"], row["language"], row["direction"], row["isco_code"], row["sdg_goals"], row["text"]])


def table(name, pairs):
    """pairs: (confidence, right); prints the Markdown reliability table and returns the ECE."""
    bins = [[] for _ in range(BINS)]
    for confidence, right in pairs:
        bins[min(BINS - 1, int(confidence * BINS))].append((confidence, right))
    print(f"| {name} confidence | rows | mean confidence | share right | gap |")
    print("|---|---:|---:|---:|---:|")
    ece = 0.0
    for k, rows in enumerate(bins):
        if not rows:
            continue
        mean = sum(c for c, _ in rows) / len(rows)
        share = sum(r for _, r in rows) / len(rows)
        ece += len(rows) / len(pairs) * abs(share - mean)
        print(f"| {k / BINS:.1f}–{(k + 1) / BINS:.1f} | {len(rows)} | {mean:.3f} | {share:.3f} | {share - mean:+.3f} |")
    print(f"\nECE {name}: {ece:.4f} (n = {len(pairs)})\n")
    return ece


def reliability(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    isco, sdg = [], []
    for row in rows:
        goals = [g.strip() for g in row["sdg_goals"].replace(",", ";").split(";") if g.strip()]
        isco.append((float(row["isco_confidence"]), row["isco_code"][:1] == row["label_isco"][:1]))
        sdg.append((float(row["sdg_confidence"]), bool(goals) and goals[0] in row["label_goals"].split(";")))
    table("ISCO major group", isco)
    table("SDG first goal", sdg)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        reliability(sys.argv[2])
    else:
        sys.exit(__doc__)
