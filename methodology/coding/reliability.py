#!/usr/bin/env python3
"""Reliability of the coder's confidences on a labelled set that chose nothing (issue #17: "calibrated probabilities,
reliability table in methodology/coding/evaluation.md"), and a recount of its per-language figures.

Run from the repository root (evaluation.md, "Final test: set B"):
  python3 methodology/coding/reliability.py prepare methodology/coding/independent-set-b/answers.tsv > /tmp/b.csv
  contrib classify --input /tmp/b.csv --text-column text --lang-column language --direction-column direction --out /tmp/b-coded.csv
  python3 methodology/coding/reliability.py table /tmp/b-coded.csv 0.92 0.92

`prepare` writes any labelled TSV as choose_thresholds.py does for its sets. `table` prints, for the ISCO major-group
confidence (right = major group of the labelled unit group) and for the SDG confidence (right = first proposed goal
among the labelled goals), ten equal-width bins of confidence: rows, mean confidence, share right, and the expected
calibration error ECE = sum over bins of (rows / n) * |share right - mean confidence|. Given the model's thresholds it
also recounts, in Python from the coded file, the major top-1 and auto-coded figures per language that
`contrib classify --evaluate` prints (an independent check of CodingEvaluation). Only aggregates are printed, so
running it on the final test set shows none of its answers. It fits and chooses nothing.
"""
import sys

from choose_thresholds import figures, read_coded, survey_csv

BINS = 10


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


def reliability(path, thresholds):
    coded = read_coded(path)
    table("ISCO major group", [(r["isco_conf"], r["isco_right"]) for r in coded])
    table("SDG first goal", [(r["sdg_conf"], r["sdg_right"]) for r in coded])
    if thresholds:
        print(f"At θ_ISCO {thresholds[0]:.2f}, θ_SDG {thresholds[1]:.2f}:\n")
        print(figures(coded, *thresholds))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        survey_csv(sys.argv[2])
    elif len(sys.argv) in (3, 5) and sys.argv[1] == "table":
        reliability(sys.argv[2], (float(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) == 5 else None)
    else:
        sys.exit(__doc__)
