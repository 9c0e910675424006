#!/usr/bin/env python3
"""Pass 2, step 4: write the resolved labels back into the pass-1 source file.

Usage: apply_resolutions.py LANG. Reads resolutions-LANG.txt, lines 'id | isco | goals | direction | rule applied'
(isco REMOVE drops the answer), finds each answer's text through ../answers.tsv and rewrites its line in
../src/LANG.txt. Run build_answers.py afterwards (ids are renumbered when an answer is removed, so resolutions
are applied once, right after compare.py, before the next build).
"""
import csv, pathlib, sys

HERE = pathlib.Path(__file__).resolve().parent
lang = sys.argv[1]
with open(HERE.parent / "answers.tsv", encoding="utf-8") as f:
    text_of = {r["id"]: r["text"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
res = {}
for line in (HERE / f"resolutions-{lang}.txt").read_text(encoding="utf-8").splitlines():
    if line.strip() and not line.startswith("#"):
        aid, isco, goals, direction, _note = (x.strip() for x in line.split("|", 4))
        res[text_of[aid]] = (isco, goals, direction)
src = HERE.parent / "src" / f"{lang}.txt"
out, done = [], 0
for line in src.read_text(encoding="utf-8").splitlines():
    parts = line.split("|", 3)
    if len(parts) == 4 and not line.startswith("#") and parts[3].strip() in res:
        isco, goals, direction = res[parts[3].strip()]
        done += 1
        if isco == "REMOVE":
            continue
        line = f"{isco} | {goals} | {direction} | {parts[3].strip()}"
    out.append(line)
src.write_text("\n".join(out) + "\n", encoding="utf-8")
print(f"{lang}: applied {done} of {len(res)} resolutions")
