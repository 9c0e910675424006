#!/usr/bin/env python3
"""Assemble answers.tsv (set B, the final test set of issue #17) from the per-language source files.

Source files src-en.tsv, src-ru.tsv, src-kk.tsv: header `isco	goals	direction	text`, one answer a line, pass-1
labels (goals primary first, ';'-separated). Ids are given in file order: indb-<lang>-001 ...

Checks: 4-digit ISCO-08 unit groups (listed below, ISCO-08 structure, ILO 2012) whose sub-major group is in
methodology/taxonomies/isco08.csv; major group 0 and sub-major 63 refused (rules.md 1.7); 1-3 goals, each 1-17, no
repeats; direction in cavf-directions.csv; no tabs or quotes in text; no duplicate texts (case-folded, spaces
collapsed) across the whole set. Prints coverage counts per language. Usage: python3 build_answers.py
"""
import csv, os, re, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
TAX = os.path.join(ROOT, 'methodology', 'taxonomies')
LANGS = ['en', 'ru', 'kk']

# ISCO-08 unit groups that volunteer tasks in this set may use (ILO 2012 structure; titles abbreviated).
UNIT_GROUPS = {
 '1114': 'senior officials of special-interest organisations', '1211': 'finance managers', '1212': 'human resource managers',
 '1219': 'business services and administration managers n.e.c.', '1222': 'advertising and public relations managers',
 '1341': 'child care services managers', '1342': 'health services managers', '1343': 'aged care services managers',
 '1344': 'social welfare managers', '1345': 'education managers', '1412': 'restaurant managers',
 '1431': 'sports, recreation and cultural centre managers',
 '2131': 'biologists, botanists, zoologists', '2133': 'environmental protection professionals', '2142': 'civil engineers',
 '2161': 'building architects', '2164': 'town and traffic planners', '2165': 'cartographers and surveyors',
 '2211': 'generalist medical practitioners', '2212': 'specialist medical practitioners', '2221': 'nursing professionals',
 '2222': 'midwifery professionals', '2250': 'veterinarians', '2261': 'dentists', '2262': 'pharmacists', '2264': 'physiotherapists',
 '2310': 'university and higher education teachers', '2320': 'vocational education teachers', '2330': 'secondary education teachers',
 '2341': 'primary school teachers', '2342': 'early childhood educators', '2351': 'education methods specialists',
 '2352': 'special needs teachers', '2353': 'other language teachers', '2354': 'other music teachers', '2355': 'other arts teachers',
 '2356': 'information technology trainers', '2359': 'teaching professionals n.e.c.', '2411': 'accountants',
 '2423': 'personnel and careers professionals', '2424': 'training and staff development professionals',
 '2431': 'advertising and marketing professionals', '2432': 'public relations professionals', '2512': 'software developers',
 '2513': 'web and multimedia developers', '2522': 'systems administrators', '2523': 'computer network professionals',
 '2611': 'lawyers', '2621': 'archivists and curators', '2622': 'librarians', '2632': 'sociologists, anthropologists',
 '2633': 'philosophers, historians', '2634': 'psychologists', '2635': 'social work and counselling professionals',
 '2636': 'religious professionals', '2641': 'authors and related writers', '2642': 'journalists', '2643': 'translators, interpreters',
 '2651': 'visual artists', '2652': 'musicians, singers and composers', '2653': 'dancers and choreographers',
 '2654': 'film, stage directors and producers', '2655': 'actors', '2656': 'announcers on radio, television and other media',
 '3111': 'chemical and physical science technicians', '3122': 'manufacturing supervisors', '3123': 'construction supervisors',
 '3141': 'life science technicians', '3142': 'agricultural technicians', '3143': 'forestry technicians',
 '3153': 'aircraft pilots and related associate professionals', '3212': 'medical and pathology laboratory technicians',
 '3221': 'nursing associate professionals', '3222': 'midwifery associate professionals', '3240': 'veterinary technicians and assistants',
 '3253': 'community health workers', '3258': 'ambulance workers', '3259': 'health associate professionals n.e.c.',
 '3323': 'buyers', '3332': 'conference and event planners', '3339': 'business services agents n.e.c.',
 '3411': 'legal and related associate professionals', '3412': 'social work associate professionals',
 '3413': 'religious associate professionals', '3422': 'sports coaches, instructors and officials',
 '3423': 'fitness and recreation instructors and program leaders', '3431': 'photographers', '3432': 'interior designers and decorators',
 '3433': 'gallery, museum and library technicians', '3434': 'chefs', '3435': 'other artistic and cultural associate professionals',
 '3512': 'ICT user support technicians', '3513': 'computer network and systems technicians', '3514': 'web technicians',
 '3521': 'broadcasting and audio-visual technicians',
 '4110': 'general office clerks', '4120': 'secretaries (general)', '4131': 'typists and word processing operators',
 '4132': 'data entry clerks', '4222': 'contact centre information clerks', '4225': 'enquiry clerks', '4226': 'receptionists (general)',
 '4227': 'survey and market research interviewers', '4229': 'client information workers n.e.c.',
 '4311': 'accounting and bookkeeping clerks', '4321': 'stock clerks', '4323': 'transport clerks', '4411': 'library clerks',
 '4412': 'mail carriers and sorting clerks', '4413': 'coding, proof-reading and related clerks', '4414': 'scribes and related workers',
 '4415': 'filing and copying clerks', '4419': 'clerical support workers n.e.c.',
 '5111': 'travel attendants and travel stewards', '5113': 'travel guides', '5120': 'cooks', '5131': 'waiters', '5141': 'hairdressers',
 '5142': 'beauticians', '5153': 'building caretakers', '5162': 'companions and valets', '5164': 'pet groomers and animal care workers',
 '5211': 'stall and market salespersons', '5212': 'street food salespersons', '5223': 'shop sales assistants',
 '5230': 'cashiers and ticket clerks', '5244': 'contact centre salespersons', '5246': 'food service counter attendants',
 '5311': 'child care workers', '5312': "teachers' aides", '5321': 'health care assistants', '5322': 'home-based personal care workers',
 '5329': 'personal care workers in health services n.e.c.', '5411': 'firefighters', '5412': 'police officers',
 '5414': 'security guards', '5419': 'protective services workers n.e.c.',
 '6111': 'field crop and vegetable growers', '6112': 'tree and shrub crop growers', '6113': 'gardeners, horticultural and nursery growers',
 '6121': 'livestock and dairy producers', '6122': 'poultry producers', '6123': 'apiarists and sericulturists',
 '6130': 'mixed crop and animal producers', '6210': 'forestry and related workers', '6221': 'aquaculture workers',
 '7111': 'house builders', '7112': 'bricklayers and related workers', '7113': 'stonemasons, stone cutters, splitters and carvers',
 '7115': 'carpenters and joiners', '7119': 'building frame and related trades workers n.e.c.', '7121': 'roofers',
 '7122': 'floor layers and tile setters', '7123': 'plasterers', '7124': 'insulation workers', '7126': 'plumbers and pipe fitters',
 '7131': 'painters and related workers', '7133': 'building structure cleaners', '7212': 'welders and flame cutters',
 '7214': 'structural-metal preparers and erectors', '7222': 'toolmakers and related workers', '7231': 'motor vehicle mechanics',
 '7233': 'agricultural and industrial machinery mechanics', '7234': 'bicycle and related repairers',
 '7314': 'potters and related workers', '7316': 'sign writers, decorative painters, engravers and etchers',
 '7317': 'handicraft workers in wood, basketry', '7318': 'handicraft workers in textile, leather', '7322': 'printers',
 '7411': 'building and related electricians', '7421': 'electronics mechanics and servicers', '7422': 'ICT installers and servicers',
 '7511': 'butchers, fishmongers', '7512': 'bakers, pastry-cooks and confectionery makers', '7514': 'fruit, vegetable and related preservers',
 '7522': 'cabinet-makers', '7531': 'tailors, dressmakers, furriers and hatters', '7533': 'sewing, embroidery and related workers',
 '7534': 'upholsterers', '7536': 'shoemakers', '7544': 'fumigators and other pest and weed controllers',
 '8153': 'sewing machine operators', '8160': 'food and related products machine operators', '8183': 'packing, bottling and labelling machine operators',
 '8212': 'electrical and electronic equipment assemblers', '8219': 'assemblers n.e.c.', '8321': 'motorcycle drivers',
 '8322': 'car, taxi and van drivers', '8331': 'bus and tram drivers', '8332': 'heavy truck and lorry drivers',
 '8341': 'mobile farm and forestry plant operators', '8342': 'earthmoving and related plant operators', '8343': 'crane operators',
 '8344': 'lifting truck operators', '8350': "ships' deck crews",
 '9111': 'domestic cleaners and helpers', '9112': 'cleaners and helpers in offices, hotels and other establishments',
 '9121': 'hand launderers and pressers', '9122': 'vehicle cleaners', '9123': 'window cleaners', '9129': 'other cleaning workers',
 '9211': 'crop farm labourers', '9212': 'livestock farm labourers', '9214': 'garden and horticultural labourers',
 '9215': 'forestry labourers', '9216': 'fishery and aquaculture labourers', '9312': 'civil engineering labourers',
 '9313': 'building construction labourers', '9321': 'hand packers', '9329': 'manufacturing labourers n.e.c.',
 '9331': 'hand and pedal vehicle drivers', '9333': 'freight handlers', '9334': 'shelf fillers', '9411': 'fast food preparers',
 '9412': 'kitchen helpers', '9510': 'street and related service workers', '9520': 'street vendors (excluding food)',
 '9611': 'garbage and recycling collectors', '9612': 'refuse sorters', '9613': 'sweepers and related labourers',
 '9621': 'messengers, package deliverers and luggage porters', '9622': 'odd job persons', '9623': 'meter readers and vending-machine collectors',
 '9624': 'water and firewood collectors', '9629': 'elementary workers n.e.c.',
}


def read_csv(name):
    with open(os.path.join(TAX, name), encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f))


def norm(text):
    return re.sub(r'\s+', ' ', text.strip().casefold())


def main():
    sub_majors = {r['code'] for r in read_csv('isco08.csv') if r['level'] == 'sub-major'}
    directions = [r['direction'] for r in read_csv('cavf-directions.csv')]
    errors, rows, seen = [], [], {}
    for lang in LANGS:
        path = os.path.join(HERE, f'src-{lang}.tsv')
        if not os.path.exists(path):
            print(f'{lang}: no source file yet')
            continue
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        if lines[0] != 'isco\tgoals\tdirection\ttext':
            errors.append(f'{path}: bad header')
            continue
        n = 0
        for lineno, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            fields = line.split('\t')
            where = f'src-{lang}.tsv:{lineno}'
            if len(fields) != 4:
                errors.append(f'{where}: {len(fields)} fields, want 4')
                continue
            isco, goals, direction, text = (x.strip() for x in fields)
            if not re.fullmatch(r'\d{4}', isco) or isco not in UNIT_GROUPS:
                errors.append(f'{where}: {isco} is not a listed ISCO-08 unit group')
            elif isco[:2] not in sub_majors or isco[0] == '0' or isco[:2] == '63':
                errors.append(f'{where}: {isco} sub-major {isco[:2]} not allowed')
            gl = goals.split(';')
            if not (1 <= len(gl) <= 3) or any(not g.isdigit() or not 1 <= int(g) <= 17 for g in gl) or len(set(gl)) != len(gl):
                errors.append(f'{where}: bad goals {goals!r}')
            if direction not in directions:
                errors.append(f'{where}: unknown direction {direction!r}')
            if not text or '"' in text or '\t' in text:
                errors.append(f'{where}: empty text or a quote in it')
            key = norm(text)
            if key in seen:
                errors.append(f'{where}: duplicate text of {seen[key]}')
            n += 1
            rid = f'indb-{lang}-{n:03d}'
            seen[key] = rid
            rows.append(dict(id=rid, language=lang, isco_code=isco, sdg_goals=goals, sdg_primary=gl[0],
                             direction=direction, group=rid, text=text))
    if errors:
        print('\n'.join(errors), file=sys.stderr)
        sys.exit(1)
    cols = ['id', 'language', 'isco_code', 'sdg_goals', 'sdg_primary', 'direction', 'group', 'text']
    with open(os.path.join(HERE, 'answers.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('\t'.join(cols) + '\n')
        for r in rows:
            f.write('\t'.join(r[c] for c in cols) + '\n')
    report(rows, sub_majors, directions)


def report(rows, sub_majors, directions):
    langs = [l for l in LANGS if any(r['language'] == l for r in rows)]
    by = defaultdict(list)
    for r in rows:
        by[r['language']].append(r)
    print(f'answers.tsv: {len(rows)} answers; ' + ', '.join(f'{l} {len(by[l])}' for l in langs))
    print('\nISCO major group | ' + ' | '.join(langs))
    for m in '123456789':
        print(f'{m} | ' + ' | '.join(str(sum(r["isco_code"][0] == m for r in by[l])) for l in langs))
    wanted = sorted(s for s in sub_majors if s[0] != '0' and s != '63')
    print(f'\nsub-major groups covered (of {len(wanted)} civilian, 63 excluded):')
    for l in langs:
        have = Counter(r['isco_code'][:2] for r in by[l])
        missing = [s for s in wanted if s not in have]
        print(f'  {l}: {sum(s in have for s in wanted)}; missing: {" ".join(missing) or "none"}')
    print('\nsub-major group | ' + ' | '.join(langs))
    for s in wanted:
        print(f'{s} | ' + ' | '.join(str(sum(r['isco_code'][:2] == s for r in by[l])) for l in langs))
    print(f'  distinct unit groups: ' + ', '.join(f'{l} {len({r["isco_code"] for r in by[l]})}' for l in langs))
    print('\nprimary SDG goal | ' + ' | '.join(langs) + ' || any position')
    for g in range(1, 18):
        print(f'{g} | ' + ' | '.join(str(sum(r['sdg_primary'] == str(g) for r in by[l])) for l in langs) + ' || '
              + ' | '.join(str(sum(str(g) in r['sdg_goals'].split(';') for r in by[l])) for l in langs))
    print('\ndirection | ' + ' | '.join(langs))
    for d in directions:
        print(f'{d} | ' + ' | '.join(str(sum(r['direction'] == d for r in by[l])) for l in langs))
    print('\nwords per answer (min / median / max) | ' + ' | '.join(
        '{} / {} / {}'.format(*(lambda w: (w[0], w[len(w) // 2], w[-1]))(sorted(len(r['text'].split()) for r in by[l]))) for l in langs))


if __name__ == '__main__':
    main()
