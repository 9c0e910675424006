#!/usr/bin/env python3
"""Pass 2, step 3: compare the blind pass-2 labels with pass 1 (answers.tsv) and list every disagreement.

Usage: compare.py LANG. Reads every labels-LANG*.txt (lines 'sheet_id | isco | goals | direction'), the sheets
sheet-LANG*.tsv (sheet id -> text) and ../answers.tsv (text -> pass-1 labels; answers removed since are skipped). Prints agreement on ISCO unit group, sub-major and major group, primary goal, goal set and direction,
and writes disagreements-LANG.tsv (one line per answer that differs in any field) for resolution by rules.md.
"""
import csv, pathlib, sys

HERE = pathlib.Path(__file__).resolve().parent
lang = sys.argv[1]
with open(HERE.parent / "answers.tsv", encoding="utf-8") as f:
    p1 = {r["id"]: r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r["language"] == lang}
id_of = {r["text"]: aid for aid, r in p1.items()}
key = {}
for sheet in HERE.glob(f"sheet-{lang}*.tsv"):
    with open(sheet, encoding="utf-8") as f:
        key.update({r["sheet_id"]: id_of.get(r["text"]) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)})
p2 = {}
for labels in sorted(HERE.glob(f"labels-{lang}*.txt")):
  for line in labels.read_text(encoding="utf-8").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    sid, isco, goals, direction = (x.strip() for x in line.split("|"))
    if key[sid] is None:
        continue  # answer removed from the set after pass 2
    p2[key[sid]] = dict(isco=isco, goals=[g.strip() for g in goals.split(";") if g.strip()], direction=direction, sid=sid)
missing = sorted(set(p1) - set(p2))
if missing:
    sys.exit(f"pass 2 has no label for {len(missing)} answers, e.g. {missing[:5]}")
n = len(p2)
agree = dict(unit=0, sub=0, major=0, primary=0, goalset=0, direction=0)
out = []
for aid, b in sorted(p2.items()):
    a = p1[aid]
    ga = a["sdg_goals"].split(";")
    checks = dict(unit=a["isco_code"] == b["isco"], sub=a["isco_code"][:2] == b["isco"][:2],
                  major=a["isco_code"][0] == b["isco"][0], primary=ga[0] == b["goals"][0],
                  goalset=set(ga) == set(b["goals"]), direction=a["direction"] == b["direction"])
    for k, v in checks.items():
        agree[k] += v
    if not (checks["unit"] and checks["primary"] and checks["direction"]):
        out.append("\t".join([aid, b["sid"], a["isco_code"], b["isco"], a["sdg_goals"], ";".join(b["goals"]),
                              a["direction"], b["direction"], a["text"]]))
print(f"{lang}: {n} answers; agreement pass 1 vs pass 2:")
for k, v in agree.items():
    print(f"  {k:9s} {v}/{n} = {v / n:.3f}")
with open(HERE / f"disagreements-{lang}.tsv", "w", encoding="utf-8") as f:
    f.write("id\tsheet_id\tisco_p1\tisco_p2\tgoals_p1\tgoals_p2\tdir_p1\tdir_p2\ttext\n")
    f.write("\n".join(out) + "\n")
print(f"disagreements-{lang}.tsv: {len(out)} answers differ in unit group, primary goal or direction")
