#!/usr/bin/env python3
"""Expand the adjudicator's decisions (pass2/adjudication.txt) into pass2/resolutions-LANG.tsv.

Reads pass2/disagreements-LANG.tsv (written by compare.py --write from the pass-1 labels, before adjudication).
Adjudicable fields of a row: isco (when the major, sub-major or unit group differs), goals (when the primary goal
differs) and direction. Each of them must have exactly one decision line; the script stops otherwise.

resolutions-LANG.tsv columns: id, field, pass1, pass2, final, decision (pass1 / pass2 / third / ambiguous), rule.
For goals, the values are whole goal lists (primary first); the final list is the list of the chosen pass.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ["en", "ru", "kk"]
COLS = {"isco": ("isco1", "isco2"), "goals": ("goals1", "goals2"), "direction": ("direction1", "direction2")}


def main():
    decisions = {}
    for raw in (HERE / "adjudication.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        id_, field, choice, rule = [p.strip() for p in raw.split("|", 3)]
        key = (f"inde-{id_}", field)
        if key in decisions:
            sys.exit(f"duplicate decision {key}")
        decisions[key] = (choice, rule)
    used = set()
    for lang in LANGS:
        lines = (HERE / f"disagreements-{lang}.tsv").read_text(encoding="utf-8").splitlines()
        head = lines[0].split("\t")
        out_rows = []
        for line in lines[1:]:
            r = dict(zip(head, line.split("\t")))
            diff = r["differs"].split(",")
            fields = []
            if {"major", "submajor", "unit"} & set(diff):
                fields.append("isco")
            if "primary" in diff:
                fields.append("goals")
            if "direction" in diff:
                fields.append("direction")
            for field in fields:
                key = (r["id"], field)
                if key not in decisions:
                    sys.exit(f"no decision for {key}")
                used.add(key)
                choice, rule = decisions[key]
                v1, v2 = r[COLS[field][0]], r[COLS[field][1]]
                if choice == "p1":
                    final, dec = v1, "pass1"
                elif choice == "A":
                    final, dec = v1, "ambiguous"
                elif choice == "p2":
                    final, dec = v2, "pass2"
                else:
                    final, dec = choice, "third"
                out_rows.append([r["id"], field, v1, v2, final, dec, rule])
        with open(HERE / f"resolutions-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
            out.write("id\tfield\tpass1\tpass2\tfinal\tdecision\trule\n")
            for row in out_rows:
                out.write("\t".join(row) + "\n")
        n_change = sum(1 for row in out_rows if row[4] != row[2])
        n_amb = sum(1 for row in out_rows if row[5] == "ambiguous")
        print(f"resolutions-{lang}.tsv: {len(out_rows)} decisions, {n_change} changes, {n_amb} ambiguous")
    extra = set(decisions) - used
    if extra:
        sys.exit(f"decisions for fields that are not disagreements: {sorted(extra)}")


if __name__ == "__main__":
    main()
