#!/usr/bin/env python3
"""Assemble answers.tsv of independent set C from the per-language source files and check every label.

Source files: src/en.txt, src/ru.txt, src/kk.txt, one answer a line:
    isco_code | sdg goals, primary first, ';'-separated | direction | text
Lines that are empty or start with '#' are skipped. The order of the lines gives the ids (indc-<lang>-001, ...).

Checks (the build stops on any error): 4-digit ISCO-08 unit group whose sub-major group is listed in
methodology/taxonomies/isco08.csv, never major group 0 nor sub-major group 63; 1-3 distinct goals 1-17;
a direction from methodology/taxonomies/cavf-directions.csv; a non-empty text without tabs, quotes or '|';
no duplicate texts (case- and space-insensitive) across the whole set. Prints coverage counts.

Evaluation only: never train, tune or choose thresholds on this set.
"""
import collections
import csv
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
TAX = HERE.parent.parent / "taxonomies"
LANGS = ["en", "ru", "kk"]
# converb in -п/-ып/-іп (Cyrillic, Latin or typed with Russian letters) followed by an auxiliary verb
COMPOUND = re.compile(r"\w(?:п|p)\s+(?:бер|жүр|жур|отыр|шық|шык|ал|қой|кой|кел|таста|тұр|тур|көр|кет|жібер|ber|jur|jür|otyr|shyq|shyk|al|qoi|qoy|kel|tur)\w*")
QUOTES = set('"\'«»“”„`')


def load_taxonomies():
    with open(TAX / "isco08.csv", encoding="utf-8") as f:
        sub_major = {r["code"] for r in csv.DictReader(f) if r["level"] == "sub-major"}
    with open(TAX / "cavf-directions.csv", encoding="utf-8") as f:
        directions = {r["direction"] for r in csv.DictReader(f)}
    return sub_major, directions


def norm(text):
    return re.sub(r"\s+", " ", text.strip().lower())


def read_source(lang, sub_major, directions, errors):
    rows = []
    path = HERE / "src" / f"{lang}.txt"
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name}:{line_no}"
        parts = line.split("|", 3)
        if len(parts) != 4:
            errors.append(f"{where}: expected 'isco | goals | direction | text'")
            continue
        isco, goals, direction, text = (p.strip() for p in parts)
        if not re.fullmatch(r"[1-9]\d{3}", isco):
            errors.append(f"{where}: '{isco}' is not a 4-digit civilian unit group")
        elif isco[:2] not in sub_major or isco[:2] == "63" or isco[0] == "0":
            errors.append(f"{where}: '{isco}' has no valid sub-major group (or is 63/0)")
        goal_list = [g.strip() for g in goals.split(";") if g.strip()]
        if not 1 <= len(goal_list) <= 3 or len(set(goal_list)) != len(goal_list) or \
                not all(g.isdigit() and 1 <= int(g) <= 17 for g in goal_list):
            errors.append(f"{where}: goals '{goals}' must be 1-3 distinct goals 1-17")
        if direction not in directions:
            errors.append(f"{where}: unknown direction '{direction}'")
        if not text or "\t" in text or QUOTES & set(text):
            errors.append(f"{where}: text empty or contains a tab or a quote")
        rows.append(dict(language=lang, isco_code=isco, sdg_goals=";".join(goal_list),
                         sdg_primary=goal_list[0] if goal_list else "", direction=direction, text=text, where=where))
    for i, row in enumerate(rows, 1):
        row["id"] = row["group"] = f"indc-{lang}-{i:03d}"
    return rows


def coverage(rows):
    out = []
    for lang in LANGS + ["all"]:
        sel = [r for r in rows if lang == "all" or r["language"] == lang]
        if not sel:
            continue
        words = sorted(len(r["text"].split()) for r in sel)
        out.append(f"\n== {lang}: {len(sel)} answers; words median {words[len(words) // 2]}, "
                   f"1-2 words {sum(w <= 2 for w in words)}, 3-12 words {sum(3 <= w <= 12 for w in words)}, "
                   f">12 words {sum(w > 12 for w in words)}")
        major = collections.Counter(r["isco_code"][0] for r in sel)
        out.append("major groups: " + "  ".join(f"{k}:{major[k]}" for k in sorted(major)))
        sub = collections.Counter(r["isco_code"][:2] for r in sel)
        out.append(f"sub-major groups ({len(sub)}): " + "  ".join(f"{k}:{sub[k]}" for k in sorted(sub)))
        prim = collections.Counter(int(r["sdg_primary"]) for r in sel)
        out.append("primary goals: " + "  ".join(f"{g}:{prim[g]}" for g in range(1, 18)))
        anyg = collections.Counter(int(g) for r in sel for g in r["sdg_goals"].split(";"))
        out.append("any goal:      " + "  ".join(f"{g}:{anyg[g]}" for g in range(1, 18)))
        dirs = collections.Counter(r["direction"] for r in sel)
        out.append("directions: " + "  ".join(f"{k}:{dirs[k]}" for k in sorted(dirs)))
        out.append(f"unit groups: {len({r['isco_code'] for r in sel})}")
        if lang == "kk":
            cv = sum(bool(COMPOUND.search(r["text"].lower())) for r in sel)
            out.append(f"Kazakh compound verbs (converb -п/-ып/-іп + auxiliary, heuristic): {cv} answers = {cv / len(sel):.0%}")
    return "\n".join(out)


def main():
    sub_major, directions = load_taxonomies()
    errors, rows = [], []
    for lang in LANGS:
        if (HERE / "src" / f"{lang}.txt").exists():
            rows += read_source(lang, sub_major, directions, errors)
    seen = {}
    for r in rows:
        key = norm(r["text"])
        if key in seen:
            errors.append(f"{r['where']}: duplicate text of {seen[key]}")
        seen[key] = r["where"]
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(f"{len(errors)} error(s); answers.tsv not written")
    cols = ["id", "language", "isco_code", "sdg_goals", "sdg_primary", "direction", "group", "text"]
    with open(HERE / "answers.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in cols) + "\n")
    print(f"wrote answers.tsv: {len(rows)} answers")
    print(coverage(rows))
    low = []
    for lang in LANGS:
        prim = collections.Counter(int(r["sdg_primary"]) for r in rows if r["language"] == lang)
        if any(r["language"] == lang for r in rows):
            low += [f"{lang}: goal {g} primary {prim[g]}x" for g in range(1, 18) if prim[g] < 5]
    if low:
        print("\nWARNING, goals primary fewer than 5 times: " + "; ".join(low))


if __name__ == "__main__":
    main()
