#!/usr/bin/env python3
"""Second labelling pass (issue #17): re-derives labels from the keyword form of rules.md and lists disagreements.

Run from the repository root after build_data.py:  python3 methodology/coding/check_labels.py
For each situation (training) and answer (evaluation) it looks at the English text (the Russian or Kazakh text for
Russian and Kazakh answers, through the same rules written for those languages) and applies, in order, the task
rules of rules.md section 1 (first match gives a sub-major group) and the purpose rules of section 2 (first match
gives the primary goal). A row whose label disagrees with a matching rule is printed; rows no rule matches are
counted. Each disagreement was read: either the label was wrong and was fixed in the data file, or the keyword rule
was too coarse (for example "hospital" in "at the hospital I washed floors"), which is listed in rules.md as why
the task, not the place, decides. The script changes nothing.
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (pattern, sub-major group) in the order of rules.md section 1: elected roles and leading first, then tasks.
TASK_RULES = [
    (r"\b(chair|chairman|chairwoman|president|board member|on the board|member of the (youth parliament|public council|board))|председател|член правления|президент|төраға|төрайым|президенті|басқарма мүше|кеңестің мүше", 11),
    (r"\bcoordinat|team ?lead|координатор|координир|тимлид|үйлестір", 12),
    (r"\b(first aid|paramedic)|первую помощь|первой помощи|алғашқы (медициналық )?көмек", 32),
    (r"\b(vet|veterinar)|ветеринар|ветврач|мал дәрігер", 22),
    (r"\b(doctor|nurse|dentist|pharmacist|physiotherapist|midwife)\b|врач|медсестр|стоматолог|фармацевт|акушер|дәрігер|мейірбике", 22),
    (r"\b(tutor|taught|teach|lessons?)\b|репетит|учил|учу|уроки|урок|сабақ|үйрет|оқыт", 23),
    (r"\b(lawyer|advocate)\b|юрист|адвокат|заңгер", 26),
    (r"\b(translat|interpret)|перевод|аудар", 26),
    (r"\b(psycholog)|психолог", 26),
    (r"\b(app|bot|website|site|code)\b|приложени|бот|сайт|қосымша", 25),
    (r"\b(photo|film|video|livestream|sound)|фото|видео|ролик|снимал|бейне|суретке түсір", 34),
    (r"\b(coach|referee|counsellor|camp counsel)|тренир|вожат|жаттықтыр", 34),
    (r"\b(hotline|info desk|information desk|registration|register(ed|ing) (donors|participants))|горяч|телефон доверия|справочн|регистр|тірке|сенім телефон", 42),
    (r"\b(survey|interview(ed|er)?)\b|опрос|интервьюер|сауалнама", 42),
    (r"\b(bookkeep|books of|accounts|receipts)|бухгалтер|есебін жүргіз", 43),
    (r"\b(cook(ed)?|plov|soup)\b|готовил|варил|варю|пісір", 51),
    (r"\b(wash|bathe|feed|feeding)\b.*\b(patient|old|elderly|grandma|neighbour)|кормлю|купаю|мою его|жуындыр", 53),
    (r"\b(firefight|fire brigade|lifeguard|rescue team|search and rescue)|пожарн|спасател|өрт сөнд|құтқарушы", 54),
    (r"\b(planted|planting|saplings|seedlings)\b|сажал|посадил|высадил|отырғыз", 61),
    (r"\b(built|build|roof|bricks?|plaster|painted|paint)\b|строил|крыш|кирпич|красил|үй салдық|шатыр|сырла", 71),
    (r"\b(repair(ed)?|fix(ed)?)\b.*\b(bike|car|engine|truck)|велосипед|велик|уазик", 72),
    (r"\b(wiring|electric|solar panels)|проводк|электр", 74),
    (r"\b(sew(ed)?|sewing|bake[ds]?|baking)\b|шил|шью|пекла|пеку|тіг|пісіремін", 75),
    (r"\b(drove|drive|driving|driver)\b|вожу|возил|вёз|водител|жүргіз(у|ушімін)|көлігіммен", 83),
    (r"\b(clean(ed|ing)? (the )?(flat|house|apartment|floors)|washed floors|mopping)|убира(юсь|лись) в (квартир|дом)|мыла полы|еден", 91),
    (r"\b(weed(ed|ing)?|raked|dug)\b|полол|копали|отап|қаздық", 92),
    (r"\b(pack(ed|ing)|unload(ed)?|carried|loaded)\b|фасовал|разгружал|таскал|буып|түсірдік|тасыдық", 93),
    (r"\b(peel(ed)?|washed dishes|dishes)\b|мыла посуду|ыдыс жу", 94),
    (r"\b(litter|trash|rubbish|garbage|recycl|sort(ed|ing) (waste|plastic))|мусор|сортир|қоқыс|сұрыпта", 96),
    (r"\b(deliver(ed)?|handed out|gave out)\b|развож|развозил|раздавал|жеткіз|тарат", 96),
]

# (pattern, goal) in the order of rules.md section 2, conflict rules first.
PURPOSE_RULES = [
    (r"\b(flood|earthquake|mudflow|avalanche|evacuat|landslide|emergenc)|паводк|землетрясен|сел[ья]\b|эвакуа|лавин|тасқын|сілкініс|көшкін", 11),
    (r"\b(caspian|aral|sea|marine|seal)\b|каспи|арал|море|тюлен|теңіз|итбалық", 14),
    (r"\b(food|meal|lunch|soup|iftar|bread|potato|vegetable|harvest|farm)|продукт|обед|столов|ифтар|хлеб|урожай|азық|ас\b|асхана|ауызашар|нан", 2),
    (r"\b(poor|homeless|low income|in need|large famil|needy)|малоимущ|бездомн|бедн|нуждающ|многодетн|кедей|үйсіз|аз қамтылған|мұқтаж|көпбалалы", 1),
    (r"\b(wom[ae]n|girls?)\b|женщин|девоч|девуш|әйел|қыз", 5),
    (r"\b(water|river|lake|well|spring|sanitation|toilet)\b|вод[аыу]|рек[аиу]|озер|колод|родник|су\b|өзен|көл|құдық|бұлақ", 6),
    (r"\b(solar|energy|insulat|stove|wind)|солнечн|энерг|утепл|күн панел|энергия|жылыт", 7),
    (r"\b(job|unemploy|cv|career|business|entrepreneur)|работ[уы]|безработ|резюме|бизнес|предприним|жұмыс|кәсіп", 8),
    (r"\b(app|bot|website|internet|wifi|hackathon|computer)\b|приложени|бот|сайт|интернет|хакатон|компьютер|қосымша", 9),
    (r"\b(disab|wheelchair|blind|deaf|migrant|refugee|autism|orphan)|инвалид|коляс|незряч|глух|мигрант|беженц|аутизм|детдом|мүгедек|мүмкіндігі шектеулі|саңырау|босқын|балалар үйі", 10),
    (r"\b(recycl|waste|plastic|second hand|repair cafe|swap)|переработ|отход|пластик|секонд|ремонт-кафе|қайта өңде|қалдық", 12),
    (r"\b(climate|glacier|drought)|климат|ледник|засух|мұздық|құрғақшылық", 13),
    (r"\b(forest|wildlife|bird|snow leopard|saiga|reserve|national park|dog|cat|shelter for animals|animal)|лес|птиц|барс|сайгак|заповедн|нацпарк|собак|кош[ек]|орман|құс|ілбіс|киік|қорық|ит|мысық", 15),
    (r"\b(election|court|legal|corruption|rights|petition|council|parliament|police)|выбор|суд|юрид|коррупц|прав[аo]|петиц|совет|парламент|сайлау|сот|заң|құқ|кеңес", 16),
    (r"\b(hospital|patient|health|blood|vaccin|clinic|first aid|medic)|больниц|пациент|здоров|кров|привив|поликлиник|аурухана|науқас|денсаулық|қан|екпе|емхана", 3),
    (r"\b(school|teach|tutor|lesson|library|student|kids? homework)|школ|учител|урок|библиот|студент|мектеп|мұғалім|сабақ|кітапхана|студент", 4),
    (r"\b(park|street|courtyard|square|city|town|village|heritage|museum|monument)\b|парк|улиц|двор|площад|город|музе|памятник|саябақ|көше|аула|алаң|қала|мұражай", 11),
    (r"\b(international|foreign|forum|exchange|delegat)|международ|иностран|форум|обмен|халықаралық|шетел", 17),
]


def first(rules, text):
    for pattern, value in rules:
        if re.search(pattern, text, re.IGNORECASE):
            return value
    return None


def check(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    isco_disagree = sdg_disagree = isco_none = sdg_none = 0
    for r in rows:
        text = r["text"]
        sub = first(TASK_RULES, text)
        goal = first(PURPOSE_RULES, text)
        if sub is None:
            isco_none += 1
        elif sub != int(r["isco_code"][:2]) and sub // 10 != int(r["isco_code"][0]):
            isco_disagree += 1
            print(f"ISCO {r['id']} {r['language']} label {r['isco_code']} rule {sub}: {text}")
        if goal is None:
            sdg_none += 1
        elif goal not in [int(g) for g in r["sdg_goals"].split(";")]:
            sdg_disagree += 1
            print(f"SDG  {r['id']} {r['language']} label {r['sdg_goals']} rule {goal}: {text}")
    print(f"{os.path.relpath(path)}: {len(rows)} rows; ISCO: {isco_disagree} disagree (major group), {isco_none} without a rule; "
          f"SDG: {sdg_disagree} disagree (rule goal not among the labels), {sdg_none} without a rule", file=sys.stderr)


if __name__ == "__main__":
    check(os.path.join(HERE, "training.tsv"))
    check(os.path.join(HERE, "evaluation-set", "evaluation.tsv"))
