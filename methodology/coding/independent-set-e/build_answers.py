#!/usr/bin/env python3
"""Build answers.tsv of evaluation set E from src/{en,ru,kk}.txt and check every label.

Source line format (one answer per line):  isco | goals | direction | text
  isco      4-digit ISCO-08 unit group (never major group 0, never sub-major group 63)
  goals     1-3 distinct SDG goals 1-17, primary first, separated by ';' or ','
  direction one of the codes in methodology/taxonomies/cavf-directions.csv
Lines starting with '#' and blank lines are ignored. A comment line '# fam: NAME' starts a task family (the
assumed survey mix of README.md); the families are counted, not written to answers.tsv.

Writes answers.tsv (tab-separated, UTF-8, no quoting) with the header
  id language isco_code sdg_goals sdg_primary direction group text
and prints coverage tables and the task-family counts. Exits with status 1 when any check fails.
Coverage gaps are printed as notes, not errors: set E follows a survey mix and is not coverage-forced.
"""
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAX = HERE.parent.parent / "taxonomies"
LANGS = ["en", "ru", "kk"]


def load_taxonomies():
    sub_majors = set()
    majors = set()
    with open(TAX / "isco08.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "sub-major":
                sub_majors.add(row["code"])
            elif row["level"] == "major":
                majors.add(row["code"])
    with open(TAX / "cavf-directions.csv", encoding="utf-8", newline="") as f:
        directions = [row["direction"] for row in csv.DictReader(f)]
    return majors, sub_majors, directions


def main():
    majors, sub_majors, directions = load_taxonomies()
    civilian_sub = sorted(s for s in sub_majors if s[0] != "0" and s != "63")
    errors = []
    rows = []
    seen_text = {}
    for lang in LANGS:
        path = HERE / "src" / f"{lang}.txt"
        n = 0
        if not path.exists():
            errors.append(f"{path.name}: missing")
            continue
        fam = "(none)"
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if line.startswith("# fam:"):
                fam = line[len("# fam:"):].strip()
                continue
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{lineno}"
            parts = [p.strip() for p in line.split("|", 3)]
            if len(parts) != 4:
                errors.append(f"{where}: expected 'isco | goals | direction | text'")
                continue
            isco, goals_s, direction, text = parts
            if len(isco) != 4 or not isco.isdigit():
                errors.append(f"{where}: isco '{isco}' is not a 4-digit unit group")
            elif isco[0] == "0":
                errors.append(f"{where}: major group 0 is never used")
            elif isco[:2] == "63":
                errors.append(f"{where}: sub-major group 63 is not volunteer work")
            elif isco[:2] not in sub_majors:
                errors.append(f"{where}: sub-major group {isco[:2]} does not exist in isco08.csv")
            goals = []
            for g in goals_s.replace(",", ";").split(";"):
                g = g.strip()
                if not g:
                    continue
                if not g.isdigit() or not 1 <= int(g) <= 17:
                    errors.append(f"{where}: goal '{g}' is not 1-17")
                    continue
                goals.append(int(g))
            if not 1 <= len(goals) <= 3:
                errors.append(f"{where}: {len(goals)} goals (need 1-3)")
            if len(set(goals)) != len(goals):
                errors.append(f"{where}: repeated goal in {goals_s}")
            if direction not in directions:
                errors.append(f"{where}: direction '{direction}' is not one of {directions}")
            if not text:
                errors.append(f"{where}: empty text")
            for bad, name in (("\t", "tab"), ('"', "double quote"), ("|", "'|'")):
                if bad in text:
                    errors.append(f"{where}: {name} in text")
            key = " ".join(text.lower().split())
            if key in seen_text:
                errors.append(f"{where}: duplicate text (first at {seen_text[key]})")
            else:
                seen_text[key] = where
            n += 1
            rows.append({
                "id": f"inde-{lang}-{n:03d}",
                "language": lang,
                "isco_code": isco,
                "sdg_goals": ";".join(str(g) for g in goals),
                "sdg_primary": str(goals[0]) if goals else "",
                "direction": direction,
                "text": text,
                "family": fam,
            })
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} error(s); answers.tsv not written", file=sys.stderr)
        return 1

    cols = ["id", "language", "isco_code", "sdg_goals", "sdg_primary", "direction", "group", "text"]
    with open(HERE / "answers.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            r["group"] = r["id"]
            f.write("\t".join(r[c] for c in cols) + "\n")

    by_lang = defaultdict(list)
    for r in rows:
        by_lang[r["language"]].append(r)

    def table(title, keyfn, keys):
        counts = {lang: Counter(keyfn(r) for r in by_lang[lang]) for lang in LANGS}
        print(f"\n{title}\n")
        print("| " + " | ".join(["key"] + LANGS + ["all"]) + " |")
        print("|" + "---|" * (len(LANGS) + 2))
        for k in keys:
            vals = [counts[lang][k] for lang in LANGS]
            print("| " + " | ".join([str(k)] + [str(v) for v in vals] + [str(sum(vals))]) + " |")

    print("answers per language: " + ", ".join(f"{lang} {len(by_lang[lang])}" for lang in LANGS)
          + f"; total {len(rows)}")
    table("Major group", lambda r: r["isco_code"][0], [str(m) for m in range(1, 10)])
    table("Sub-major group", lambda r: r["isco_code"][:2], civilian_sub)
    table("Primary goal", lambda r: int(r["sdg_primary"]), list(range(1, 18)))
    table("Direction", lambda r: r["direction"], directions)
    fams = sorted({r["family"] for r in rows}, key=lambda f: -sum(1 for r in rows if r["family"] == f))
    table("Task family (source comments '# fam:')", lambda r: r["family"], fams)

    # Set E follows an assumed survey mix (README.md) and is not coverage-forced: gaps are notes, not errors.
    # Only the size (>= 380 answers per language) is a requirement of the brief.
    notes = []
    too_small = []
    for lang in LANGS:
        subs = Counter(r["isco_code"][:2] for r in by_lang[lang])
        missing = [s for s in civilian_sub if subs[s] == 0]
        if missing:
            notes.append(f"{lang}: sub-major groups not used: {' '.join(missing)}")
        prim = Counter(int(r["sdg_primary"]) for r in by_lang[lang])
        low = [g for g in range(1, 18) if prim[g] < 5]
        if low:
            notes.append(f"{lang}: primary goals used fewer than 5 times: {low}")
        dirs = Counter(r["direction"] for r in by_lang[lang])
        nod = [d for d in directions if dirs[d] == 0]
        if nod:
            notes.append(f"{lang}: directions not used: {nod}")
        if len(by_lang[lang]) < 380:
            too_small.append(f"{lang}: {len(by_lang[lang])} answers (need >= 380)")
    print("\nCoverage notes (not targets for set E):" if notes else "\nCoverage: every sub-major group, goal and direction used.")
    for w in notes:
        print("  " + w)
    if too_small:
        print("\n".join(too_small), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
