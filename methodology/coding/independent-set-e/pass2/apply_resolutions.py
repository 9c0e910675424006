#!/usr/bin/env python3
"""Apply pass2/resolutions-LANG.tsv to src/LANG.txt so that the source holds the final (adjudicated) labels,
rebuild answers.tsv with build_answers.py, and print the agreement of the final labels with pass 2.

Only rows whose final value differs from pass 1 change the source. The script checks that the source line still
holds the pass-1 value (or already the final value, so running it twice changes nothing) and stops otherwise.
Answer n of a language is the n-th non-comment, non-blank line of src/LANG.txt (as in build_answers.py).
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = HERE.parent
LANGS = ["en", "ru", "kk"]
POS = {"isco": 0, "goals": 1, "direction": 2}


def norm(field, v):
    return ";".join(g.strip() for g in v.replace(",", ";").split(";")) if field == "goals" else v.strip()


def main():
    total = 0
    for lang in LANGS:
        res = (HERE / f"resolutions-{lang}.tsv").read_text(encoding="utf-8").splitlines()
        head = res[0].split("\t")
        changes = {}
        for line in res[1:]:
            r = dict(zip(head, line.split("\t")))
            if r["final"] != r["pass1"]:
                n = int(r["id"].rsplit("-", 1)[1])
                changes.setdefault(n, []).append((r["field"], r["pass1"], r["final"]))
        path = SET / "src" / f"{lang}.txt"
        lines = path.read_text(encoding="utf-8").split("\n")
        n = 0
        done = 0
        for i, raw in enumerate(lines):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            n += 1
            if n not in changes:
                continue
            parts = [p.strip() for p in raw.split("|", 3)]
            for field, v1, final in changes[n]:
                cur = norm(field, parts[POS[field]])
                if cur == final:
                    continue
                if cur != v1:
                    sys.exit(f"{lang} answer {n}: {field} is '{cur}', expected pass-1 value '{v1}'")
                parts[POS[field]] = final
                done += 1
            lines[i] = " | ".join(parts)
        path.write_text("\n".join(lines), encoding="utf-8")
        print(f"src/{lang}.txt: {done} field values changed ({sum(len(v) for v in changes.values())} resolutions "
              f"with a final value different from pass 1)")
        total += done
    rc = subprocess.run([sys.executable, str(SET / "build_answers.py")], cwd=SET,
                        stdout=subprocess.DEVNULL).returncode
    if rc:
        sys.exit("build_answers.py failed")
    print("answers.tsv rebuilt\n")
    sys.path.insert(0, str(HERE))
    import compare
    compare.table(title="the final labels")


if __name__ == "__main__":
    main()
