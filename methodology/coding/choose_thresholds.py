#!/usr/bin/env python3
"""Review thresholds chosen on the team's evaluation set (issue #17: "chosen on the evaluation set to hold >= 95 %
accuracy on auto-coded rows"), with the same rule as CodingEvaluation.ChooseThreshold.

Run from the repository root (methodology/coding/README.md, "The shipped model"):
  python3 methodology/coding/choose_thresholds.py prepare > /tmp/evaluation-input.csv
  contrib classify --input /tmp/evaluation-input.csv --text-column text --lang-column language \
      --direction-column direction --out /tmp/evaluation-direction.csv
  contrib classify --input /tmp/evaluation-input.csv --text-column text --lang-column language \
      --out /tmp/evaluation-text-only.csv
  python3 methodology/coding/choose_thresholds.py choose /tmp/evaluation-direction.csv /tmp/evaluation-text-only.csv

`prepare` writes the evaluation set (methodology/coding/evaluation-set/evaluation.tsv) as the CSV a survey would give
the coder: id, language, direction, text, and the labels under names the coder does not write (label_isco,
label_goals). `choose` reads the two coded files (with and without the direction column). A row is auto-coded when both
confidences reach their thresholds (ActivityCoder: needs_review is false). The pair (θ_ISCO, θ_SDG) on the grid
0.00-0.99 (steps of 0.01) is the one that auto-codes the most rows while the auto-coded rows of **every language**
(en, kk, ru) have the major group right and the first proposed goal among the labelled goals at least 95 % of the
time; ties go to the higher thresholds. For comparison it also prints CodingEvaluation.ChooseThreshold's rule applied
to each decision alone on this set (the rule `classify calibrate` applies out-of-fold): that pair holds 95 % on each
decision over all rows, but not on the rows where both are accepted, and not in English. Figures are printed per
language at the chosen pair and at the out-of-fold thresholds (given after the two files).

The thresholds are chosen on the same 414 rows the figures are computed on, so the auto-coded accuracy printed for
them is an in-sample figure (>= 0.95 by construction on each decision alone); the independent set is the test.
Same input, same output.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 0.95
LANGUAGES = ["en", "kk", "ru", "all"]


SETS = {
    "team": os.path.join(HERE, "evaluation-set", "evaluation.tsv"),
    "A": os.path.join(HERE, "independent-set", "answers.tsv"),
}


def prepare(name):
    survey_csv(SETS[name])


def survey_csv(path):
    """Writes a labelled TSV to stdout as the CSV a survey would give the coder, the labels under names it does not write."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "language", "direction", "label_isco", "label_goals", "text"])
    for row in rows:
        out.writerow([row["id"], row["language"], row["direction"], row["isco_code"], row["sdg_goals"], row["text"]])


def read_coded(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    coded = []
    for row in rows:
        goals = [g for g in row["sdg_goals"].replace(",", ";").split(";") if g.strip()]
        labelled = row["label_goals"].split(";")
        coded.append({
            "language": row["language"],
            "isco_conf": float(row["isco_confidence"]),
            "sdg_conf": float(row["sdg_confidence"]),
            "isco_right": row["isco_code"][:1] == row["label_isco"][:1],
            "sdg_right": bool(goals) and goals[0].strip() in labelled,
        })
    return coded


def choose_threshold(decisions):
    """CodingEvaluation.ChooseThreshold: smallest t with accepted right >= TARGET * accepted (1.0 when none)."""
    for step in range(100):
        t = step / 100.0
        accepted = [right for confidence, right in decisions if confidence >= t - 1e-12]
        if accepted and sum(accepted) >= TARGET * len(accepted):
            return t
    return 1.0


def figures(coded, iscot, sdgt):
    lines = ["| language | n | ISCO major top-1 | auto-coded share | ISCO major right of auto-coded | SDG first goal right of auto-coded |",
             "|---|---:|---:|---:|---:|---:|"]
    for language in LANGUAGES:
        rows = [r for r in coded if language == "all" or r["language"] == language]
        auto = [r for r in rows if r["isco_conf"] >= iscot - 1e-12 and r["sdg_conf"] >= sdgt - 1e-12]
        share = len(auto) / len(rows)
        isco = sum(r["isco_right"] for r in auto) / len(auto) if auto else float("nan")
        sdg = sum(r["sdg_right"] for r in auto) / len(auto) if auto else float("nan")
        top1 = sum(r["isco_right"] for r in rows) / len(rows)
        lines.append(f"| {language} | {len(rows)} | {top1:.4f} | {share:.4f} ({len(auto)}) | {isco:.4f} | {sdg:.4f} |")
    return "\n".join(lines)


def holds(rows, iscot, sdgt):
    """Auto-coded rows of every language right >= TARGET on both decisions (a language with none auto-coded holds)."""
    for language in LANGUAGES[:-1]:
        auto = [r for r in rows if r["language"] == language and r["isco_conf"] >= iscot - 1e-12 and r["sdg_conf"] >= sdgt - 1e-12]
        if auto and (sum(r["isco_right"] for r in auto) < TARGET * len(auto) or sum(r["sdg_right"] for r in auto) < TARGET * len(auto)):
            return False
    return True


def choose_pair(rows):
    best = (-1, 0.0, 0.0)
    for i in range(100):
        for j in range(100):
            iscot, sdgt = i / 100.0, j / 100.0
            if not holds(rows, iscot, sdgt):
                continue
            count = sum(1 for r in rows if r["isco_conf"] >= iscot - 1e-12 and r["sdg_conf"] >= sdgt - 1e-12)
            if count > best[0] or (count == best[0] and iscot + sdgt > best[1] + best[2]):
                best = (count, iscot, sdgt)
    return best[1], best[2]


def choose(direction_path, text_only_path, out_of_fold):
    for name, path in [("with the direction column", direction_path), ("text only (no direction column)", text_only_path)]:
        coded = read_coded(path)
        iscot, sdgt = choose_pair(coded)
        separate = (choose_threshold([(r["isco_conf"], r["isco_right"]) for r in coded]),
                    choose_threshold([(r["sdg_conf"], r["sdg_right"]) for r in coded]))
        print(f"## {name}: {len(coded)} rows\n")
        print(f"Chosen on this set (auto-coded rows of every language right >= 95 % on both): θ_ISCO {iscot:.2f}, θ_SDG {sdgt:.2f}\n")
        print(figures(coded, iscot, sdgt) + "\n")
        print(f"Each decision alone (ChooseThreshold's rule on this set): θ_ISCO {separate[0]:.2f}, θ_SDG {separate[1]:.2f}\n")
        print(figures(coded, *separate) + "\n")
        print(f"At the out-of-fold thresholds θ_ISCO {out_of_fold[0]:.2f}, θ_SDG {out_of_fold[1]:.2f}:\n")
        print(figures(coded, *out_of_fold) + "\n")


if __name__ == "__main__":
    if len(sys.argv) in (2, 3) and sys.argv[1] == "prepare":
        prepare(sys.argv[2] if len(sys.argv) == 3 else "team")
    elif len(sys.argv) in (4, 6) and sys.argv[1] == "choose":
        oof = (float(sys.argv[4]), float(sys.argv[5])) if len(sys.argv) == 6 else (0.96, 0.87)
        choose(sys.argv[2], sys.argv[3], oof)
    else:
        sys.exit("usage: choose_thresholds.py prepare [team|A] | choose CODED_WITH_DIRECTION CODED_TEXT_ONLY [θ_ISCO θ_SDG]")
