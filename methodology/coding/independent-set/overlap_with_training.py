#!/usr/bin/env python3
"""How close each independent answer is to the nearest training text (issue #17).

Run from the repository root:  python3 methodology/coding/independent-set/overlap_with_training.py [--near 0.6] [--out FILE]
Similarity is build_data.py's: character 4-gram Jaccard of the normalised texts. Prints the distribution and the
answers at or above --near; with --out, writes answers.tsv without them (same header), for an evaluation on the
answers that are not near-duplicates of a training text.
"""
import argparse
import csv
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from build_data import normalise  # noqa: E402


def grams(text):
    t = normalise(text)
    return {t[i:i + 4] for i in range(max(1, len(t) - 3))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--near", type=float, default=0.6)
    parser.add_argument("--out")
    args = parser.parse_args()
    with open(os.path.join(os.path.dirname(HERE), "training.tsv"), encoding="utf-8") as f:
        training = [row["text"] for row in csv.DictReader(f, delimiter="\t")]
    training_grams = [grams(t) for t in training]
    with open(os.path.join(HERE, "answers.tsv"), encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    header, answers = rows[0], rows[1:]
    text_at = header.index("text")
    kept, near = [], 0
    scores = []
    for row in answers:
        g = grams(row[text_at])
        best = max(range(len(training)), key=lambda k: len(g & training_grams[k]) / max(1, len(g | training_grams[k])))
        score = len(g & training_grams[best]) / max(1, len(g | training_grams[best]))
        scores.append(score)
        if score >= args.near:
            near += 1
            print(f"{score:.2f}\t{row[0]}\t{row[text_at]}\t~\t{training[best]}")
        else:
            kept.append(row)
    print(f"{len(answers)} answers; nearest-training similarity median {statistics.median(scores):.3f}, "
          f"max {max(scores):.3f}; at or above {args.near}: {near}")
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", lineterminator="\n")
            writer.writerow(header)
            writer.writerows(kept)


if __name__ == "__main__":
    main()
