# format check for pass-2 labels (helper d19-setf-coder2)
import csv, re, sys
dirs = {r['direction'] for r in csv.DictReader(open('../../../taxonomies/cavf-directions.csv'))}
ok = True
for lang in ('ru', 'kk', 'en'):
    n_sheet = sum(1 for _ in open(f'sheet-{lang}.tsv')) - 1
    lines = open(f'labels2-{lang}.txt').read().splitlines()
    notes = 0
    for i, line in enumerate(lines, 1):
        body, _, note = line.partition('#')
        notes += bool(note.strip())
        parts = [p.strip() for p in body.split('|')]
        err = []
        if len(parts) != 4: err.append('fields')
        else:
            n, isco, goals, d = parts
            if n != str(i): err.append('number')
            if not re.fullmatch(r'[1-9]\d{3}', isco) or isco.startswith('63'): err.append('isco')
            g = goals.split(',')
            if not (1 <= len(g) <= 3) or not all(x.isdigit() and 1 <= int(x) <= 17 for x in g) or len(set(g)) != len(g): err.append('goals')
            if d not in dirs: err.append('direction')
        if err: ok = False; print(lang, i, err, line)
    if len(lines) != n_sheet: ok = False; print(lang, 'count', len(lines), 'sheet', n_sheet)
    print(lang, len(lines), 'rows,', notes, 'notes')
sys.exit(0 if ok else 1)
