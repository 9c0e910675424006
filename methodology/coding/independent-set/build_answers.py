#!/usr/bin/env python3
"""Assembles answers.tsv from the hand-written first-pass files work/{en,ru,kk}.txt (isco|goals|direction|text),
checks every field and prints the coverage counts. Written for issue #17 (independent evaluation set)."""
import collections, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUBMAJOR = {11, 12, 13, 14, 21, 22, 23, 24, 25, 26, 31, 32, 33, 34, 35, 41, 42, 43, 44, 51, 52, 53, 54,
            61, 62, 63, 71, 72, 73, 74, 75, 81, 82, 83, 91, 92, 93, 94, 95, 96}
DIRECTIONS = {"climate_eco", "health", "inclusion", "education", "international", "social", "emergencies", "ethno", "it_media"}


def norm(text):
    return re.sub(r"[^\w]+", " ", text.lower().replace("ё", "е")).strip()


def read(language):
    rows = []
    with open(os.path.join(HERE, "work", language + ".txt"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("|", 3)
            if len(parts) != 4:
                sys.exit(f"{language}.txt:{n}: expected isco|goals|direction|text")
            code, goals, direction, text = parts
            if not re.fullmatch(r"[1-9]\d{3}", code) or int(code[:2]) not in SUBMAJOR:
                sys.exit(f"{language}.txt:{n}: bad ISCO unit group {code}")
            goal_list = [int(g) for g in goals.split(";")]
            if not goal_list or any(g < 1 or g > 17 for g in goal_list) or len(set(goal_list)) != len(goal_list):
                sys.exit(f"{language}.txt:{n}: bad goals {goals}")
            if direction not in DIRECTIONS:
                sys.exit(f"{language}.txt:{n}: bad direction {direction}")
            if "\t" in text or not text.strip():
                sys.exit(f"{language}.txt:{n}: empty text or tab in text")
            rows.append((code, goal_list, direction, text.strip()))
    return rows


def main():
    seen = {}
    out = ["id\tlanguage\tisco_code\tsdg_goals\tsdg_primary\tdirection\tgroup\ttext"]
    for language in ("en", "ru", "kk"):
        rows = read(language)
        for i, (code, goals, direction, text) in enumerate(rows, 1):
            key = norm(text)
            if key in seen:
                sys.exit(f"repeated text: {text!r} (also {seen[key]})")
            rid = f"ind-{language}-{i:03d}"
            seen[key] = rid
            out.append("\t".join([rid, language, code, ";".join(map(str, goals)), str(goals[0]), direction, rid, text]))
        sub = collections.Counter(int(c[:2]) for c, *_ in rows)
        prim = collections.Counter(g[0] for _, g, *_ in rows)
        dirs = collections.Counter(d for _, _, d, _ in rows)
        majors = collections.Counter(c[0] for c, *_ in rows)
        missing = sorted(SUBMAJOR - {63} - set(sub))
        print(f"{language}: {len(rows)} answers; sub-major groups {len(sub)} (missing: {missing or 'none'}); "
              f"major groups {dict(sorted(majors.items()))}")
        print(f"   primary goals {dict(sorted(prim.items()))}")
        print(f"   directions {dict(sorted(dirs.items()))}")
    with open(os.path.join(HERE, "answers.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote answers.tsv: {len(out) - 1} answers")


if __name__ == "__main__":
    main()
