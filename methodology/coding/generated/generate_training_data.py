#!/usr/bin/env python3
"""Deterministic generator of the labelled volunteer-task descriptions used to train and test the activity coder.

Run from the repository root:  python3 methodology/coding/generated/generate_training_data.py
It rewrites methodology/coding/generated/training-generated.tsv and heldout-generated.tsv byte for byte (no clock, no
platform random generator: a SplitMix64 stream with a fixed seed chooses frames and contexts).

Each *task concept* is one volunteer task written once per language (English, Russian, Kazakh Cyrillic, Uzbek Latin)
and labelled with its ISCO-08 major group (the occupation of the task, ILO Manual 2011 ch. 5) and, where the task
itself implies one, an SDG goal. A *context* is a place or occasion phrase for one of the nine directions of the
Central Asia Volunteers Forum, which carries the direction's SDG goal. A description is frame(task) + context, with
the verb inflected per language (Russian past tense by gender/number, Kazakh past/present with vowel harmony,
consonant assimilation and final-consonant voicing, Uzbek past/present).

Concepts, contexts and frames marked for the held-out set are never used in training: held-out accuracy measures
text the model never saw, written with other tasks, other place phrases and other sentence frames (present tense and
verbal-noun frames in Kazakh and Uzbek, which training never shows).
"""
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20220915
TRAIN_PER_CONCEPT = 10
HELDOUT_PER_CONCEPT = 8

# ---------------------------------------------------------------------------------------------------------------
# Directions of the Central Asia Volunteers Forum and the SDG goal each is reported under.
DIRECTION_GOAL = {
    "eco": 13, "health": 3, "inclusion": 10, "education": 4, "international": 17,
    "social": 8, "emergencies": 11, "ethno": 17, "it_media": 9,
}

# Context phrases: direction -> language -> (training phrases, held-out phrases).
CONTEXTS = {
    "eco": {
        "en": (["in the city park", "during the eco campaign", "at the river clean-up day"],
               ["at the eco marathon", "on the shore of the lake"]),
        "ru": (["в городском парке", "во время экологической акции", "на субботнике у реки"],
               ["на экомарафоне", "на берегу озера"]),
        "kk": (["қалалық саябақта", "экологиялық акция кезінде", "өзен жағасындағы сенбілікте"],
               ["экомарафонда", "көл жағасында"]),
        "uz": (["shahar bog'ida", "ekologik aksiya paytida", "daryo bo'yidagi shanbalikda"],
               ["ekomarafonda", "ko'l bo'yida"]),
    },
    "health": {
        "en": (["at the city hospital", "at the blood donation drive", "at the polyclinic"],
               ["at the vaccination point", "in the children's ward of the hospital"]),
        "ru": (["в городской больнице", "на донорской акции", "в поликлинике"],
               ["в прививочном пункте", "в детском отделении больницы"]),
        "kk": (["қалалық ауруханада", "донорлық акцияда", "емханада"],
               ["екпе пунктінде", "аурухананың балалар бөлімшесінде"]),
        "uz": (["shahar kasalxonasida", "donorlik aksiyasida", "poliklinikada"],
               ["emlash punktida", "bolalar kasalxonasida"]),
    },
    "inclusion": {
        "en": (["for children with disabilities", "at the centre for people with disabilities", "for wheelchair users"],
               ["for deaf teenagers", "at the inclusive sports day"]),
        "ru": (["для детей с инвалидностью", "в центре для людей с инвалидностью", "для людей на колясках"],
               ["для глухих подростков", "на инклюзивном спортивном празднике"]),
        "kk": (["мүмкіндігі шектеулі балалар үшін", "мүгедектерге арналған орталықта", "арбадағы адамдар үшін"],
               ["естімейтін жасөспірімдер үшін", "инклюзивті спорт мерекесінде"]),
        "uz": (["nogironligi bor bolalar uchun", "nogironlar markazida", "nogironlar aravachasidagi odamlar uchun"],
               ["eshitmaydigan o'smirlar uchun", "inklyuziv sport bayramida"]),
    },
    "education": {
        "en": (["at the village school", "for schoolchildren", "at the summer camp"],
               ["at the university open day", "for first graders"]),
        "ru": (["в сельской школе", "для школьников", "в летнем лагере"],
               ["на дне открытых дверей в университете", "для первоклассников"]),
        "kk": (["ауылдық мектепте", "оқушылар үшін", "жазғы лагерьде"],
               ["университеттің ашық есік күнінде", "бірінші сынып оқушылары үшін"]),
        "uz": (["qishloq maktabida", "o'quvchilar uchun", "yozgi lagerda"],
               ["universitetning ochiq eshiklar kunida", "birinchi sinf o'quvchilari uchun"]),
    },
    "international": {
        "en": (["at the international youth forum", "for foreign delegates", "at the un volunteers conference"],
               ["at the forum of central asian volunteers", "for the foreign guests of the summit"]),
        "ru": (["на международном молодёжном форуме", "для иностранных делегатов", "на конференции волонтёров ООН"],
               ["на форуме волонтёров Центральной Азии", "для иностранных гостей саммита"]),
        "kk": (["халықаралық жастар форумында", "шетелдік делегаттар үшін", "БҰҰ еріктілерінің конференциясында"],
               ["Орталық Азия еріктілерінің форумында", "саммиттің шетелдік қонақтары үшін"]),
        "uz": (["xalqaro yoshlar forumida", "xorijiy delegatlar uchun", "BMT ko'ngillilari konferensiyasida"],
               ["Markaziy Osiyo ko'ngillilari forumida", "sammitning xorijiy mehmonlari uchun"]),
    },
    "social": {
        "en": (["for lonely elderly people", "at the food bank", "for low-income families"],
               ["for residents of the nursing home", "at the charity canteen"]),
        "ru": (["для одиноких пожилых людей", "в фудбанке", "для малообеспеченных семей"],
               ["для жителей дома престарелых", "в благотворительной столовой"]),
        "kk": (["жалғыз басты қарт адамдар үшін", "азық-түлік банкінде", "аз қамтылған отбасылар үшін"],
               ["қарттар үйінің тұрғындары үшін", "қайырымдылық асханасында"]),
        "uz": (["yolg'iz keksalar uchun", "oziq-ovqat bankida", "kam ta'minlangan oilalar uchun"],
               ["qariyalar uyi aholisi uchun", "xayriya oshxonasida"]),
    },
    "emergencies": {
        "en": (["after the flood", "at the emergency shelter", "during the earthquake response"],
               ["in the mudflow zone", "at the evacuation point"]),
        "ru": (["после наводнения", "в пункте временного размещения", "во время ликвидации последствий землетрясения"],
               ["в зоне схода селя", "на пункте эвакуации"]),
        "kk": (["су тасқынынан кейін", "уақытша орналастыру пунктінде", "жер сілкінісі салдарын жою кезінде"],
               ["сел жүрген аймақта", "эвакуация пунктінде"]),
        "uz": (["suv toshqinidan keyin", "vaqtinchalik joylashtirish punktida", "zilzila oqibatlarini bartaraf etishda"],
               ["sel kelgan hududda", "evakuatsiya punktida"]),
    },
    "ethno": {
        "en": (["at the festival of nations", "at the nauryz celebration", "at the ethnocultural centre"],
               ["at the yurt camp on unity day", "at the event of the assembly of the people of kazakhstan"]),
        "ru": (["на фестивале народов", "на праздновании Наурыза", "в этнокультурном центре"],
               ["в юрточном городке на День единства", "на мероприятии Ассамблеи народа Казахстана"]),
        "kk": (["халықтар фестивалінде", "Наурыз мерекесінде", "этномәдени орталықта"],
               ["Бірлік күніндегі киіз үй қалашығында", "Қазақстан халқы Ассамблеясының іс-шарасында"]),
        "uz": (["xalqlar festivalida", "Navro'z bayramida", "milliy madaniyat markazida"],
               ["Birlik kunidagi o'tov shaharchasida", "millatlararo do'stlik tadbirida"]),
    },
    "it_media": {
        "en": (["for the ngo website", "at the digital literacy hackathon", "for the volunteer media centre"],
               ["for the volunteer telegram channel", "at the coding club"]),
        "ru": (["для сайта НКО", "на хакатоне по цифровой грамотности", "для волонтёрского медиацентра"],
               ["для волонтёрского телеграм-канала", "в клубе программирования"]),
        "kk": (["ҮЕҰ сайты үшін", "цифрлық сауаттылық хакатонында", "еріктілер медиаорталығы үшін"],
               ["еріктілердің телеграм-арнасы үшін", "бағдарламалау үйірмесінде"]),
        "uz": (["NNT sayti uchun", "raqamli savodxonlik xakatonida", "ko'ngillilar media markazi uchun"],
               ["ko'ngillilar telegram kanali uchun", "dasturlash to'garagida"]),
    },
}

# ---------------------------------------------------------------------------------------------------------------
# Task concepts: (ISCO major group, intrinsic SDG goals, held-out?, en, ru, kk, uz)
#   en = (base form, past form, object)      ru = (infinitive, object)
#   kk = (object, verb stem)                 uz = (object, verb stem)
# Objects carry the case the verb governs, so every sentence is grammatical as written.
T, H = False, True
CONCEPTS = [
    # 1 Managers: coordinating, organising, budgeting, leading.
    (1, [], T, ("coordinate", "coordinated", "a team of volunteers"), ("координировать", "команду волонтёров"),
     ("еріктілер командасын", "үйлестір"), ("ko'ngillilar jamoasini", "muvofiqlashtir")),
    (1, [], T, ("organise", "organised", "the charity event"), ("организовывать", "благотворительное мероприятие"),
     ("қайырымдылық іс-шарасын", "ұйымдастыр"), ("xayriya tadbirini", "tashkil qil")),
    (1, [], T, ("manage", "managed", "the project budget"), ("управлять", "бюджетом проекта"),
     ("жобаның бюджетін", "басқар"), ("loyiha byudjetini", "boshqar")),
    (1, [], T, ("lead", "led", "the regional volunteer headquarters"), ("руководить", "региональным волонтёрским штабом"),
     ("өңірлік еріктілер штабына", "жетекшілік ет"), ("viloyat ko'ngillilar shtabiga", "rahbarlik qil")),
    (1, [], T, ("plan", "planned", "the work of the volunteer centre"), ("планировать", "работу волонтёрского центра"),
     ("еріктілер орталығының жұмысын", "жоспарла"), ("ko'ngillilar markazi ishini", "rejalashtir")),
    (1, [], T, ("chair", "chaired", "the board of the public association"), ("возглавлять", "правление общественного объединения"),
     ("қоғамдық бірлестікке", "төрағалық ет"), ("jamoat birlashmasi boshqaruviga", "raislik qil")),
    (1, [], T, ("supervise", "supervised", "the work of new volunteers"), ("контролировать", "работу новых волонтёров"),
     ("жаңа еріктілердің жұмысын", "қадағала"), ("yangi ko'ngillilar ishini", "nazorat qil")),
    (1, [], T, ("recruit", "recruited", "new volunteers for the project"), ("набирать", "новых волонтёров в проект"),
     ("жобаға жаңа еріктілерді", "тарт"), ("loyihaga yangi ko'ngillilarni", "jalb qil")),
    (1, [], T, ("negotiate", "negotiated", "with sponsors and partners"), ("договариваться", "со спонсорами и партнёрами"),
     ("демеушілермен және серіктестермен", "келіссөз жүргіз"), ("homiylar va hamkorlar bilan", "muzokara olib bor")),
    (1, [], H, ("head", "headed", "the organising committee of the marathon"), ("отвечать", "за организацию марафона"),
     ("марафон ұйымдастыру алқасына", "басшылық ет"), ("marafon tashkiliy qo'mitasiga", "boshchilik qil")),
    (1, [], H, ("direct", "directed", "the branch of the volunteer movement"), ("возглавлять", "филиал волонтёрского движения"),
     ("еріктілер қозғалысының филиалын", "басқар"), ("ko'ngillilar harakati filialini", "boshqar")),
    (1, [], H, ("allocate", "allocated", "grant funds between projects"), ("распределять", "грантовые средства между проектами"),
     ("гранттық қаражатты жобалар арасында", "бөл"), ("grant mablag'larini loyihalar o'rtasida", "taqsimla")),

    # 2 Professionals: teaching, medicine, law, software, psychology, translation, accounting.
    (2, [4], T, ("teach", "taught", "english lessons"), ("преподавать", "английский язык"),
     ("ағылшын тілінен сабақ", "бер"), ("ingliz tilidan dars", "ber")),
    (2, [3], T, ("examine", "examined", "patients as a volunteer doctor"), ("осматривать", "пациентов как врач-волонтёр"),
     ("дәрігер ретінде науқастарды", "қара"), ("shifokor sifatida bemorlarni", "ko'rikdan o'tkaz")),
    (2, [], T, ("give", "gave", "free legal advice"), ("давать", "бесплатные юридические консультации"),
     ("тегін заң кеңесін", "бер"), ("bepul yuridik maslahat", "ber")),
    (2, [9], T, ("develop", "developed", "a mobile application"), ("разрабатывать", "мобильное приложение"),
     ("мобильді қосымша", "әзірле"), ("mobil ilova", "ishlab chiq")),
    (2, [], T, ("provide", "provided", "psychological counselling"), ("проводить", "психологические консультации"),
     ("психологиялық кеңес беру сессияларын", "өткіз"), ("psixologik maslahatlar", "o'tkaz")),
    (2, [], T, ("translate", "translated", "documents from english into russian"), ("переводить", "документы с английского на русский"),
     ("құжаттарды ағылшын тілінен орыс тіліне", "аудар"), ("hujjatlarni ingliz tilidan rus tiliga", "tarjima qil")),
    (2, [], T, ("prepare", "prepared", "the financial report of the foundation"), ("составлять", "финансовую отчётность фонда"),
     ("қордың қаржылық есебін", "жаса"), ("jamg'armaning moliyaviy hisobotini", "tayyorla")),
    (2, [], T, ("conduct", "conducted", "a sociological survey"), ("проводить", "социологическое исследование"),
     ("әлеуметтанулық зерттеу", "жүргіз"), ("sotsiologik tadqiqot", "o'tkaz")),
    (2, [], T, ("write", "wrote", "articles and press releases"), ("писать", "статьи и пресс-релизы"),
     ("мақалалар мен пресс-релиздер", "жаз"), ("maqolalar va press-relizlar", "yoz")),
    (2, [4], H, ("tutor", "tutored", "pupils in mathematics"), ("заниматься", "математикой с учениками"),
     ("оқушыларға математиканы", "үйрет"), ("o'quvchilarga matematikani", "o'rgat")),
    (2, [9], H, ("design", "designed", "the architecture of the database"), ("проектировать", "архитектуру базы данных"),
     ("дерекқор архитектурасын", "жобала"), ("ma'lumotlar bazasi arxitekturasini", "loyihala")),
    (2, [], H, ("represent", "represented", "families in court as a lawyer"), ("представлять", "интересы семей в суде как юрист"),
     ("заңгер ретінде отбасылардың мүддесін сотта", "қорға"), ("yurist sifatida oilalar manfaatini sudda", "himoya qil")),

    # 3 Technicians and associate professionals: first aid, coaching, IT support, photo/video, bookkeeping.
    (3, [3], T, ("give", "gave", "first aid"), ("оказывать", "первую помощь"),
     ("алғашқы медициналық көмек", "көрсет"), ("birinchi tibbiy yordam", "ko'rsat")),
    (3, [], T, ("coach", "coached", "the children's football team"), ("тренировать", "детскую футбольную команду"),
     ("балалар футбол командасын", "жаттықтыр"), ("bolalar futbol jamoasini", "mashq qildir")),
    (3, [9], T, ("set", "set", "up computers and the network"), ("настраивать", "компьютеры и сеть"),
     ("компьютерлер мен желіні", "бапта"), ("kompyuterlar va tarmoqni", "sozla")),
    (3, [], T, ("take", "took", "photos and videos of the event"), ("снимать", "фото и видео мероприятия"),
     ("іс-шараның фото және бейнесін", "түсір"), ("tadbirning foto va videolarini", "suratga ol")),
    (3, [3], T, ("measure", "measured", "the blood pressure of visitors"), ("измерять", "давление посетителям"),
     ("келушілердің қан қысымын", "өлше"), ("tashrif buyuruvchilarning qon bosimini", "o'lcha")),
    (3, [], T, ("keep", "kept", "the accounts of the charity fund"), ("заниматься", "бухгалтерией благотворительного фонда"),
     ("қайырымдылық қорының бухгалтериясын", "жүргіз"), ("xayriya jamg'armasi buxgalteriyasini", "yurit")),
    (3, [], T, ("run", "ran", "sound and lighting at the concert"), ("обслуживать", "звук и свет на концерте"),
     ("концертте дыбыс пен жарықты", "басқар"), ("konsertda ovoz va yorug'likni", "boshqar")),
    (3, [3], T, ("check", "checked", "the temperature and pulse of patients"), ("проверять", "температуру и пульс у пациентов"),
     ("науқастардың дене қызуы мен тамыр соғысын", "тексер"), ("bemorlarning harorati va pulsini", "tekshir")),
    (3, [], T, ("connect", "connected", "the projector and microphones"), ("подключать", "проектор и микрофоны"),
     ("проектор мен микрофондарды", "қос"), ("proyektor va mikrofonlarni", "ula")),
    (3, [3], H, ("work", "worked", "as a paramedic on the ambulance team"), ("работать", "фельдшером в бригаде скорой помощи"),
     ("жедел жәрдем бригадасында фельдшер болып", "істе"), ("tez yordam brigadasida feldsher bo'lib", "ishla")),
    (3, [], H, ("train", "trained", "runners before the marathon"), ("тренировать", "бегунов перед марафоном"),
     ("жүгірушілерді марафонға", "дайында"), ("yuguruvchilarni marafonga", "tayyorla")),
    (3, [9], H, ("edit", "edited", "video clips for social media"), ("монтировать", "видеоролики для соцсетей"),
     ("әлеуметтік желілерге бейнероликтерді", "монтажда"), ("ijtimoiy tarmoqlar uchun videoroliklarni", "montaj qil")),

    # 4 Clerical support workers: registration, hotline, data entry, filing, typing, mailing.
    (4, [], T, ("register", "registered", "participants at the entrance"), ("регистрировать", "участников на входе"),
     ("кіреберісте қатысушыларды", "тірке"), ("kirishda ishtirokchilarni", "ro'yxatga ol")),
    (4, [], T, ("answer", "answered", "calls on the hotline"), ("отвечать", "на звонки горячей линии"),
     ("сенім телефонындағы қоңырауларға", "жауап бер"), ("ishonch telefonidagi qo'ng'iroqlarga", "javob ber")),
    (4, [], T, ("enter", "entered", "questionnaire data into the database"), ("вносить", "данные анкет в базу"),
     ("сауалнама деректерін базаға", "енгіз"), ("so'rovnoma ma'lumotlarini bazaga", "kirit")),
    (4, [], T, ("file", "filed", "documents in the archive"), ("раскладывать", "документы в архиве"),
     ("мұрағаттағы құжаттарды", "ретте"), ("arxivdagi hujjatlarni", "tartibga sol")),
    (4, [], T, ("type", "typed", "letters and minutes of meetings"), ("печатать", "письма и протоколы собраний"),
     ("хаттар мен жиналыс хаттамаларын", "тер"), ("xatlar va yig'ilish bayonnomalarini", "ter")),
    (4, [], T, ("update", "updated", "the list of volunteers"), ("обновлять", "список волонтёров"),
     ("еріктілер тізімін", "жаңарт"), ("ko'ngillilar ro'yxatini", "yangila")),
    (4, [], T, ("send", "sent", "invitations by email"), ("рассылать", "приглашения по электронной почте"),
     ("шақыруларды электрондық пошта арқылы", "жібер"), ("taklifnomalarni elektron pochta orqali", "jo'nat")),
    (4, [], T, ("record", "recorded", "donations in the ledger"), ("учитывать", "пожертвования в журнале"),
     ("қайырмалдықтарды журналда", "есепке ал"), ("xayriyalarni jurnalda", "hisobga ol")),
    (4, [], T, ("scan", "scanned", "and copied documents"), ("сканировать", "документы"),
     ("құжаттарды", "сканерле"), ("hujjatlarni", "skanerla")),
    (4, [], H, ("work", "worked", "at the reception desk"), ("сидеть", "на ресепшене"),
     ("ресепшнде кезекші", "бол"), ("qabulxonada navbatchi", "bo'l")),
    (4, [], H, ("fill", "filled", "in attendance spreadsheets"), ("заполнять", "таблицы посещаемости"),
     ("қатысу кестелерін", "толтыр"), ("davomat jadvallarini", "to'ldir")),
    (4, [], H, ("book", "booked", "tickets and hotel rooms for guests"), ("бронировать", "билеты и гостиницы для гостей"),
     ("қонақтарға билеттер мен қонақүй", "бронда"), ("mehmonlar uchun chipta va mehmonxona", "bron qil")),

    # 5 Service and sales workers: personal care, childcare, cooking, serving, selling, stewarding, guiding.
    (5, [], T, ("care", "cared", "for elderly people at home"), ("ухаживать", "за пожилыми людьми на дому"),
     ("үйдегі қарт адамдарға", "күтім жаса"), ("uydagi keksalarga", "g'amxo'rlik qil")),
    (5, [], T, ("look", "looked", "after young children"), ("присматривать", "за маленькими детьми"),
     ("кішкентай балаларды", "бақ"), ("kichik bolalarga", "qara")),
    (5, [], T, ("cook", "cooked", "hot meals"), ("готовить", "горячие обеды"),
     ("ыстық тамақ", "пісір"), ("issiq ovqat", "pishir")),
    (5, [], T, ("serve", "served", "food to guests"), ("раздавать", "еду гостям"),
     ("қонақтарға тамақ", "тарат"), ("mehmonlarga ovqat", "tarqat")),
    (5, [], T, ("sell", "sold", "goods at the charity fair"), ("продавать", "товары на благотворительной ярмарке"),
     ("қайырымдылық жәрмеңкесінде тауарлар", "сат"), ("xayriya yarmarkasida mahsulotlar", "sot")),
    (5, [], T, ("keep", "kept", "order at the entrance"), ("следить", "за порядком на входе"),
     ("кіреберісте тәртіпті", "сақта"), ("kirishda tartibni", "saqla")),
    (5, [], T, ("guide", "guided", "tourists around the old town"), ("водить", "экскурсии по старому городу"),
     ("ескі қала бойынша экскурсия", "жүргіз"), ("eski shahar bo'ylab ekskursiya", "o'tkaz")),
    (5, [], T, ("give", "gave", "haircuts to elderly people"), ("делать", "стрижки пожилым людям"),
     ("қарттарға шаш", "қи"), ("keksalarga soch", "ol")),
    (5, [], T, ("patrol", "patrolled", "the streets with the police"), ("патрулировать", "улицы вместе с полицией"),
     ("полициямен бірге көшелерді", "күзет"), ("politsiya bilan birga ko'chalarni", "qo'riqla")),
    (5, [10], H, ("help", "helped", "a disabled neighbour to wash and dress"), ("помогать", "соседке-инвалиду мыться и одеваться"),
     ("мүгедек көршіге жуынуға және киінуге", "көмектес"), ("nogiron qo'shniga yuvinish va kiyinishda", "yordam ber")),
    (5, [], H, ("bake", "baked", "bread and pies for the canteen"), ("выпекать", "хлеб и пироги для столовой"),
     ("асханаға нан мен бәліш", "пісір"), ("oshxona uchun non va pirog", "yop")),
    (5, [], H, ("show", "showed", "guests to their seats"), ("провожать", "гостей на их места"),
     ("қонақтарды орындарына дейін", "шығарып сал"), ("mehmonlarni joylariga", "kuzatib qo'y")),

    # 6 Skilled agricultural, forestry and fishery workers: planting, growing, livestock, orchards, bees.
    (6, [13], T, ("plant", "planted", "trees"), ("сажать", "деревья"),
     ("ағаш", "отырғыз"), ("daraxt", "ek")),
    (6, [], T, ("grow", "grew", "vegetables in the community garden"), ("выращивать", "овощи в общественном огороде"),
     ("қоғамдық бақшада көкөніс", "өсір"), ("jamoat tomorqasida sabzavot", "yetishtir")),
    (6, [], T, ("look", "looked", "after sheep and cattle"), ("кормить", "овец и скот"),
     ("қой мен малға", "қара"), ("qo'y va qoramollarni", "boq")),
    (6, [], T, ("prune", "pruned", "fruit trees in the orchard"), ("обрезать", "плодовые деревья в саду"),
     ("бақтағы жеміс ағаштарын", "кес"), ("bog'dagi mevali daraxtlarni", "buta")),
    (6, [], T, ("keep", "kept", "bees at the eco farm"), ("разводить", "пчёл на экоферме"),
     ("экофермада ара", "өсір"), ("ekofermada asalari", "boq")),
    (6, [13], T, ("sow", "sowed", "grass and flowers on the slopes"), ("сеять", "траву и цветы на склонах"),
     ("беткейлерге шөп пен гүл", "ек"), ("qiyaliklarga o't va gullar", "sep")),
    (6, [13], T, ("water", "watered", "seedlings in the tree nursery"), ("поливать", "саженцы в питомнике"),
     ("көшетханадағы көшеттерді", "сула"), ("ko'chatxonadagi ko'chatlarni", "sug'or")),
    (6, [], T, ("dig", "dug", "flower beds"), ("вскапывать", "клумбы для цветов"),
     ("гүлзарларды", "қопсыт"), ("gulzorlarni", "chopiq qil")),
    (6, [], T, ("milk", "milked", "cows on the farm"), ("доить", "коров на ферме"),
     ("фермада сиыр", "сау"), ("fermada sigir", "sog'")),
    (6, [13], H, ("restore", "restored", "the forest belt with young pines"), ("восстанавливать", "лесополосу молодыми соснами"),
     ("жас қарағайлармен орман белдеуін", "қалпына келтір"), ("yosh qarag'aylar bilan o'rmon polosasini", "tikla")),
    (6, [], H, ("harvest", "harvested", "apples in the orchard"), ("собирать", "урожай яблок в саду"),
     ("бақта алма өнімін", "жина"), ("bog'da olma hosilini", "yig'")),
    (6, [], H, ("release", "released", "fish fry into the lake"), ("выпускать", "мальков рыбы в озеро"),
     ("көлге балық шабақтарын", "жібер"), ("ko'lga baliq chavoqlarini", "qo'yib yubor")),

    # 7 Craft and related trades workers: roofing, painting, building, sewing, plumbing, carpentry, masonry.
    (7, [], T, ("repair", "repaired", "the roof of a house"), ("чинить", "крышу дома"),
     ("үйдің шатырын", "жөнде"), ("uyning tomini", "ta'mirla")),
    (7, [], T, ("paint", "painted", "walls and fences"), ("красить", "стены и заборы"),
     ("қабырғалар мен қоршауларды", "боя"), ("devor va panjaralarni", "bo'ya")),
    (7, [], T, ("build", "built", "a playground"), ("строить", "детскую площадку"),
     ("балалар алаңын", "сал"), ("bolalar maydonchasini", "qur")),
    (7, [], T, ("sew", "sewed", "clothes for children"), ("шить", "одежду для детей"),
     ("балаларға киім", "тік"), ("bolalar uchun kiyim", "tik")),
    (7, [], T, ("fix", "fixed", "the plumbing and taps"), ("ремонтировать", "сантехнику и краны"),
     ("су құбырлары мен крандарды", "жөнде"), ("suv quvurlari va jo'mraklarni", "tuzat")),
    (7, [], T, ("make", "made", "wooden benches and birdhouses"), ("мастерить", "деревянные скамейки и скворечники"),
     ("ағаш орындықтар мен құс ұяларын", "жаса"), ("yog'och o'rindiqlar va qushxonalar", "yasa")),
    (7, [], T, ("lay", "laid", "bricks for the new shelter"), ("укладывать", "кирпич для нового приюта"),
     ("жаңа баспанаға кірпіш", "қала"), ("yangi boshpana uchun g'isht", "ter")),
    (7, [], T, ("repair", "repaired", "bicycles and wheelchairs"), ("ремонтировать", "велосипеды и коляски"),
     ("велосипедтер мен арбаларды", "жөнде"), ("velosipedlar va aravachalarni", "tuzat")),
    (7, [], T, ("install", "installed", "new windows and doors"), ("устанавливать", "новые окна и двери"),
     ("жаңа терезелер мен есіктерді", "орнат"), ("yangi deraza va eshiklarni", "o'rnat")),
    (7, [], H, ("plaster", "plastered", "the walls of the school corridor"), ("штукатурить", "стены школьного коридора"),
     ("мектеп дәлізінің қабырғаларын", "сыла"), ("maktab yo'lagi devorlarini", "suva")),
    (7, [], H, ("knit", "knitted", "warm socks and hats"), ("вязать", "тёплые носки и шапки"),
     ("жылы шұлықтар мен бас киімдер", "тоқы"), ("issiq paypoq va shapkalar", "to'qi")),
    (7, [], H, ("wire", "wired", "electricity in the community centre"), ("проводить", "электропроводку в общественном центре"),
     ("қоғамдық орталықта электр сымдарын", "тарт"), ("jamoat markazida elektr simlarini", "tort")),

    # 8 Plant and machine operators and assemblers: drivers and mobile plant operators.
    (8, [], T, ("drive", "drove", "volunteers to the site"), ("возить", "волонтёров на объект"),
     ("еріктілерді нысанға", "жеткіз"), ("ko'ngillilarni obyektga", "olib bor")),
    (8, [], T, ("transport", "transported", "humanitarian aid by truck"), ("перевозить", "гуманитарную помощь на грузовике"),
     ("гуманитарлық көмекті жүк көлігімен", "тасымалда"), ("insonparvarlik yordamini yuk mashinasida", "tashi")),
    (8, [], T, ("operate", "operated", "an excavator to clear debris"), ("работать", "на экскаваторе при расчистке завалов"),
     ("үйінділерді тазалауда экскаваторда", "жұмыс істе"), ("vayronalarni tozalashda ekskavatorda", "ishla")),
    (8, [], T, ("drive", "drove", "the volunteer minibus"), ("водить", "волонтёрский микроавтобус"),
     ("еріктілер шағын автобусын", "жүргіз"), ("ko'ngillilar mikroavtobusini", "hayda")),
    (8, [], T, ("deliver", "delivered", "food parcels by car"), ("развозить", "продуктовые наборы на машине"),
     ("азық-түлік себеттерін көлікпен", "жеткіз"), ("oziq-ovqat to'plamlarini mashinada", "yetkaz")),
    (8, [], T, ("operate", "operated", "the forklift at the warehouse"), ("управлять", "погрузчиком на складе"),
     ("қоймада жүк тиегішті", "басқар"), ("omborda yuklagichni", "boshqar")),
    (8, [], T, ("run", "ran", "the diesel generator and water pump"), ("запускать", "дизельный генератор и водяной насос"),
     ("дизель генераторы мен су сорғысын", "іске қос"), ("dizel generator va suv nasosini", "ishga tushir")),
    (8, [], T, ("operate", "operated", "a bulldozer on the dam"), ("работать", "на бульдозере на дамбе"),
     ("бөгетте бульдозерде", "жұмыс істе"), ("to'g'onda buldozerda", "ishla")),
    (8, [], T, ("drive", "drove", "children to school by bus"), ("отвозить", "детей в школу на автобусе"),
     ("балаларды мектепке автобуспен", "апар"), ("bolalarni maktabga avtobusda", "olib bor")),
    (8, [], H, ("chauffeur", "chauffeured", "guests from the airport"), ("встречать", "гостей в аэропорту на машине"),
     ("қонақтарды әуежайдан көлікпен", "әкел"), ("mehmonlarni aeroportdan mashinada", "olib kel")),
    (8, [], H, ("level", "levelled", "the ground with a tractor"), ("выравнивать", "площадку трактором"),
     ("алаңды трактормен", "тегісте"), ("maydonni traktor bilan", "tekisla")),
    (8, [], H, ("carry", "carried", "water tanks in a van"), ("доставлять", "баки с водой на фургоне"),
     ("су бактарын фургонмен", "тасы"), ("suv baklarini furgonda", "tashi")),

    # 9 Elementary occupations: litter picking, packing, carrying, cleaning, leafleting, dishwashing, loading.
    (9, [], T, ("collect", "collected", "litter"), ("собирать", "мусор"),
     ("қоқыс", "жина"), ("axlat", "yig'")),
    (9, [], T, ("pack", "packed", "food parcels"), ("упаковывать", "продуктовые наборы"),
     ("азық-түлік себеттерін", "буып-түй"), ("oziq-ovqat to'plamlarini", "qadoqla")),
    (9, [], T, ("carry", "carried", "boxes and bags"), ("таскать", "коробки и мешки"),
     ("қораптар мен қаптарды", "тасы"), ("qutilar va qoplarni", "ko'tar")),
    (9, [], T, ("clean", "cleaned", "the rooms and corridors"), ("убирать", "помещения и коридоры"),
     ("бөлмелер мен дәліздерді", "тазала"), ("xonalar va yo'laklarni", "tozala")),
    (9, [], T, ("hand", "handed", "out leaflets on the street"), ("раздавать", "листовки на улице"),
     ("көшеде үнпарақтар", "тарат"), ("ko'chada varaqalar", "tarqat")),
    (9, [], T, ("wash", "washed", "dishes in the kitchen"), ("мыть", "посуду на кухне"),
     ("асүйде ыдыс", "жу"), ("oshxonada idish", "yuv")),
    (9, [], T, ("unload", "unloaded", "trucks with donations"), ("разгружать", "машины с пожертвованиями"),
     ("көмек жүгін көліктен", "түсір"), ("xayriya yuklarini mashinadan", "tushir")),
    (9, [], T, ("shovel", "shovelled", "snow from the paths"), ("чистить", "снег на дорожках"),
     ("жолдардағы қарды", "күре"), ("yo'laklardagi qorni", "kura")),
    (9, [], T, ("dig", "dug", "ditches"), ("копать", "канавы"),
     ("арықтар", "қаз"), ("ariqlar", "qaz")),
    (9, [], T, ("deliver", "delivered", "leaflets and parcels on foot"), ("разносить", "листовки и посылки пешком"),
     ("үнпарақтар мен сәлемдемелерді жаяу", "жеткіз"), ("varaqa va posilkalarni piyoda", "yetkaz")),
    (9, [], H, ("sweep", "swept", "the yard and the stairs"), ("подметать", "двор и лестницы"),
     ("аула мен баспалдақтарды", "сыпыр"), ("hovli va zinapoyalarni", "supur")),
    (9, [], H, ("sort", "sorted", "donated clothes into bags"), ("сортировать", "собранную одежду по мешкам"),
     ("жиналған киімдерді қаптарға", "сұрыпта"), ("yig'ilgan kiyimlarni qoplarga", "sarala")),
    (9, [], H, ("load", "loaded", "sandbags onto the trucks"), ("грузить", "мешки с песком в машины"),
     ("құм салынған қаптарды көліктерге", "тие"), ("qum to'ldirilgan qoplarni mashinalarga", "yukla")),
]

# ---------------------------------------------------------------------------------------------------------------
# Morphology.
KK_BACK, KK_FRONT = set("аоұы"), set("әөүіе")
KK_VOICELESS = set("кқпстфхцчшщ")
KK_VOICING = {"к": "г", "қ": "ғ", "п": "б"}
KK_VOWELS = KK_BACK | KK_FRONT | set("иуюяэё")


def kk_is_front(stem):
    for ch in reversed(stem):
        if ch in KK_FRONT:
            return True
        if ch in KK_BACK:
            return False
    return False


def kk_past(stem, person):
    """Kazakh past tense (-ды/-ді/-ты/-ті) with the 1sg (-м) or 1pl (-қ/-к) ending."""
    front = kk_is_front(stem)
    d = "т" if stem[-1] in KK_VOICELESS else "д"
    vowel = "і" if front else "ы"
    ending = {"1sg": "м", "1pl": ("к" if front else "қ")}[person]
    return stem + d + vowel + ending


def kk_present(stem, person):
    """Kazakh present-future tense (-а/-е/-й + personal ending -мын/-мін, -мыз/-міз)."""
    front = kk_is_front(stem)
    personal = {"1sg": "мін" if front else "мын", "1pl": "міз" if front else "мыз"}[person]
    last = stem[-1]
    if last in "ыі":                      # оқы- -> оқимын
        return stem[:-1] + "и" + personal
    if last in KK_VOWELS:                 # тазала- -> тазалаймын
        return stem + "й" + personal
    if last in KK_VOICING:                # ек- -> егемін
        stem = stem[:-1] + KK_VOICING[last]
    return stem + ("е" if front else "а") + personal


def kk_verbal_noun(stem):
    """Kazakh verbal noun in -у (тазалау, отырғызу, егу)."""
    last = stem[-1]
    if last in "ыі":
        return stem[:-1] + "у"
    if last in KK_VOICING:
        stem = stem[:-1] + KK_VOICING[last]
    return stem + "у"


UZ_VOWELS = set("aeiou")


def uz_past(stem, person):
    return stem + {"1sg": "dim", "1pl": "dik"}[person]


def uz_present(stem, person):
    ending = {"1sg": "man", "1pl": "miz"}[person]
    return stem + ("y" if stem[-1] in UZ_VOWELS else "a") + ending


def uz_verbal_noun(stem):
    return stem + ("sh" if stem[-1] in UZ_VOWELS else "ish")


def ru_past(infinitive, form):
    """Russian past tense of a regular -ть / -ться verb: masculine, feminine or plural."""
    if infinitive.endswith("ться"):
        stem = infinitive[:-4]
        return stem + {"m": "лся", "f": "лась", "pl": "лись"}[form]
    assert infinitive.endswith("ть"), infinitive
    return infinitive[:-2] + {"m": "л", "f": "ла", "pl": "ли"}[form]


def join(*parts):
    return " ".join(p for p in parts if p)


# Frames: language -> (training frames, held-out frames); each takes (task, context) and returns the sentence.
FRAMES = {
    "en": (
        [lambda t, c: join(t[1], t[2], c),
         lambda t, c: join("i", t[1], t[2], c),
         lambda t, c: join("we", t[1], t[2], c),
         lambda t, c: join("helped", t[0], t[2], c),
         lambda t, c: join("volunteered and", t[1], t[2], c)],
        [lambda t, c: join("my task was to", t[0], t[2], c),
         lambda t, c: join("as a volunteer i", t[1], t[2], c),
         lambda t, c: join("i volunteered to", t[0], t[2], c)],
    ),
    "ru": (
        [lambda t, c: join(ru_past(t[0], "pl"), t[1], c),
         lambda t, c: join("я", ru_past(t[0], "m"), t[1], c),
         lambda t, c: join(ru_past(t[0], "f"), t[1], c),
         lambda t, c: join("мы", ru_past(t[0], "pl"), t[1], c),
         lambda t, c: join("помогала", t[0], t[1], c),
         lambda t, c: join("волонтёрили:", ru_past(t[0], "pl"), t[1], c)],
        [lambda t, c: join("в качестве волонтёра я", ru_past(t[0], "m"), t[1], c),
         lambda t, c: join("моей задачей было", t[0], t[1], c),
         lambda t, c: join("как волонтёры мы", ru_past(t[0], "pl"), t[1], c)],
    ),
    "kk": (
        [lambda t, c: join(c, t[0], kk_past(t[1], "1sg")),
         lambda t, c: join(c, t[0], kk_past(t[1], "1pl")),
         lambda t, c: join("мен", c, t[0], kk_past(t[1], "1sg")),
         lambda t, c: join("біз", c, t[0], kk_past(t[1], "1pl")),
         lambda t, c: join("ерікті болып", c, t[0], kk_past(t[1], "1sg"))],
        [lambda t, c: join("ерікті ретінде", c, t[0], kk_present(t[1], "1sg")),
         lambda t, c: join(c, t[0], kk_present(t[1], "1pl")),
         lambda t, c: join("менің міндетім", c, t[0], kk_verbal_noun(t[1]), "болды")],
    ),
    "uz": (
        [lambda t, c: join(c, t[0], uz_past(t[1], "1sg")),
         lambda t, c: join(c, t[0], uz_past(t[1], "1pl")),
         lambda t, c: join("men", c, t[0], uz_past(t[1], "1sg")),
         lambda t, c: join("biz", c, t[0], uz_past(t[1], "1pl")),
         lambda t, c: join("ko'ngilli bo'lib", c, t[0], uz_past(t[1], "1sg"))],
        [lambda t, c: join("ko'ngilli sifatida", c, t[0], uz_present(t[1], "1sg")),
         lambda t, c: join(c, t[0], uz_present(t[1], "1pl")),
         lambda t, c: join("mening vazifam", c, t[0], uz_verbal_noun(t[1]), "edi")],
    ),
}

# ---------------------------------------------------------------------------------------------------------------
# Occupation roles, after ISCO-08 unit-group titles: respondents often name the role instead of the task
# ("worked as a cook"). Training only. (ISCO major group, intrinsic SDG goals,
#   en role, ru (nominative, instrumental), kk role, uz role)
# Roles whose words occur in the held-out tasks (paramedic, lawyer, tractor driver) are left out on purpose, so the
# held-out set stays text the model never saw.
ROLES = [
    (1, [], "coordinator", ("координатор", "координатором"), "үйлестіруші", "koordinator"),
    (1, [], "project manager", ("менеджер проекта", "менеджером проекта"), "жоба менеджері", "loyiha menejeri"),
    (1, [], "head of the volunteer headquarters", ("руководитель волонтёрского штаба", "руководителем волонтёрского штаба"), "еріктілер штабының басшысы", "ko'ngillilar shtabi rahbari"),
    (1, [], "director of the foundation", ("директор фонда", "директором фонда"), "қор директоры", "jamg'arma direktori"),
    (1, [], "team leader", ("руководитель команды", "руководителем команды"), "топ жетекшісі", "jamoa sardori"),
    (1, [], "chairman of the board", ("председатель правления", "председателем правления"), "басқарма төрағасы", "boshqaruv raisi"),
    (2, [4], "teacher", ("учитель", "учителем"), "мұғалім", "o'qituvchi"),
    (2, [3], "doctor", ("врач", "врачом"), "дәрігер", "shifokor"),
    (2, [], "psychologist", ("психолог", "психологом"), "психолог", "psixolog"),
    (2, [9], "programmer", ("программист", "программистом"), "бағдарламашы", "dasturchi"),
    (2, [], "translator", ("переводчик", "переводчиком"), "аудармашы", "tarjimon"),
    (2, [], "engineer", ("инженер", "инженером"), "инженер", "muhandis"),
    (2, [], "journalist", ("журналист", "журналистом"), "журналист", "jurnalist"),
    (2, [], "economist", ("экономист", "экономистом"), "экономист", "iqtisodchi"),
    (3, [], "sports coach", ("тренер", "тренером"), "жаттықтырушы", "murabbiy"),
    (3, [], "photographer", ("фотограф", "фотографом"), "фотограф", "fotograf"),
    (3, [], "sound engineer", ("звукорежиссёр", "звукорежиссёром"), "дыбыс режиссері", "ovoz rejissyori"),
    (3, [3], "nurse", ("медсестра", "медсестрой"), "мейірбике", "hamshira"),
    (3, [3], "laboratory assistant", ("лаборант", "лаборантом"), "зертханашы", "laborant"),
    (3, [9], "it support technician", ("техник техподдержки", "техником техподдержки"), "техникалық қолдау маманы", "texnik yordam mutaxassisi"),
    (4, [], "secretary", ("секретарь", "секретарём"), "хатшы", "kotib"),
    (4, [], "call centre operator", ("оператор колл-центра", "оператором колл-центра"), "колл-орталық операторы", "call-markaz operatori"),
    (4, [], "data entry clerk", ("оператор ввода данных", "оператором ввода данных"), "деректер енгізу операторы", "ma'lumot kirituvchi operator"),
    (4, [], "registrar", ("регистратор", "регистратором"), "тіркеуші", "ro'yxatga oluvchi"),
    (4, [], "office clerk", ("делопроизводитель", "делопроизводителем"), "іс жүргізуші", "ish yurituvchi"),
    (5, [], "cook", ("повар", "поваром"), "аспаз", "oshpaz"),
    (5, [], "waiter", ("официант", "официантом"), "даяшы", "ofitsiant"),
    (5, [], "caregiver", ("сиделка", "сиделкой"), "күтуші", "qarovchi"),
    (5, [], "nanny", ("няня", "няней"), "бала күтуші", "enaga"),
    (5, [], "salesperson", ("продавец", "продавцом"), "сатушы", "sotuvchi"),
    (5, [], "security guard", ("охранник", "охранником"), "күзетші", "qo'riqchi"),
    (5, [], "tour guide", ("экскурсовод", "экскурсоводом"), "гид", "gid"),
    (5, [], "hairdresser", ("парикмахер", "парикмахером"), "шаштараз", "sartarosh"),
    (5, [11], "firefighter", ("пожарный", "пожарным"), "өрт сөндіруші", "o't o'chiruvchi"),
    (5, [11], "rescuer", ("спасатель", "спасателем"), "құтқарушы", "qutqaruvchi"),
    (6, [], "gardener", ("садовник", "садовником"), "бағбан", "bog'bon"),
    (6, [13], "forester", ("лесник", "лесником"), "орманшы", "o'rmonchi"),
    (6, [], "shepherd", ("чабан", "чабаном"), "шопан", "cho'pon"),
    (6, [], "beekeeper", ("пчеловод", "пчеловодом"), "омарташы", "asalarichi"),
    (6, [], "farmer", ("фермер", "фермером"), "фермер", "fermer"),
    (6, [], "fish farmer", ("рыбовод", "рыбоводом"), "балық өсіруші", "baliq yetishtiruvchi"),
    (7, [], "builder", ("строитель", "строителем"), "құрылысшы", "quruvchi"),
    (7, [], "house painter", ("маляр", "маляром"), "бояушы", "bo'yoqchi"),
    (7, [], "carpenter", ("плотник", "плотником"), "ағаш ұстасы", "duradgor"),
    (7, [], "plumber", ("сантехник", "сантехником"), "сантехник", "santexnik"),
    (7, [], "electrician", ("электрик", "электриком"), "электрик", "elektrik"),
    (7, [], "seamstress", ("швея", "швеёй"), "тігінші", "tikuvchi"),
    (7, [], "welder", ("сварщик", "сварщиком"), "дәнекерлеуші", "payvandchi"),
    (7, [], "car mechanic", ("автомеханик", "автомехаником"), "автомеханик", "avtomexanik"),
    (8, [], "driver", ("водитель", "водителем"), "жүргізуші", "haydovchi"),
    (8, [], "truck driver", ("водитель грузовика", "водителем грузовика"), "жүк көлігінің жүргізушісі", "yuk mashinasi haydovchisi"),
    (8, [], "bus driver", ("водитель автобуса", "водителем автобуса"), "автобус жүргізушісі", "avtobus haydovchisi"),
    (8, [], "crane operator", ("крановщик", "крановщиком"), "кран операторы", "kranchi"),
    (8, [], "forklift operator", ("водитель погрузчика", "водителем погрузчика"), "жүк тиегіш жүргізушісі", "yuklagich haydovchisi"),
    (8, [], "machine operator", ("оператор станка", "оператором станка"), "станок операторы", "dastgoh operatori"),
    (9, [], "cleaner", ("уборщица", "уборщицей"), "тазалықшы", "farrosh"),
    (9, [], "loader", ("грузчик", "грузчиком"), "жүк тиеуші", "hammol"),
    (9, [], "kitchen helper", ("помощник на кухне", "помощником на кухне"), "асүй көмекшісі", "oshxona yordamchisi"),
    (9, [], "packer", ("упаковщик", "упаковщиком"), "буып-түюші", "qadoqlovchi"),
    (9, [], "labourer", ("разнорабочий", "разнорабочим"), "қара жұмысшы", "qora ishchi"),
    (9, [], "courier", ("курьер", "курьером"), "курьер", "kuryer"),
    (9, [], "leaflet distributor", ("раздатчик листовок", "раздатчиком листовок"), "үнпарақ таратушы", "varaqa tarqatuvchi"),
]
ROLES_PER_ROLE = 4
ROLE_FRAMES = {
    "en": [lambda r, c: join("worked as a", r, c), lambda r, c: join("i was a volunteer", r, c),
           lambda r, c: join("volunteer", r, c), lambda r, c: join("helped as a", r, c)],
    "ru": [lambda r, c: join("работала", r[1], c), lambda r, c: join("я работал", r[1], c),
           lambda r, c: join("волонтёр", r[0], c), lambda r, c: join("помогала как", r[0], c)],
    "kk": [lambda r, c: join(c, r, "болып жұмыс істедім"), lambda r, c: join("мен", c, "ерікті", r, "болдым"),
           lambda r, c: join(c, "ерікті", r), lambda r, c: join(c, r, "болып көмектестім")],
    "uz": [lambda r, c: join(c, r, "bo'lib ishladim"), lambda r, c: join("men", c, "ko'ngilli", r, "edim"),
           lambda r, c: join(c, "ko'ngilli", r), lambda r, c: join(c, r, "bo'lib yordam berdim")],
}

LANGUAGES = ["en", "ru", "kk", "uz"]
LANGUAGE_INDEX = {"en": 3, "ru": 4, "kk": 5, "uz": 6}
DIRECTIONS = list(DIRECTION_GOAL)


class SplitMix64:
    """A tiny, portable pseudo-random stream, so the data do not depend on Python's random module."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


def surface(rng, sentence):
    """Vary the surface as respondents do: sometimes a capital first letter, sometimes a closing full stop."""
    if rng.below(3) == 0:
        sentence = sentence[:1].upper() + sentence[1:]
    if rng.below(4) == 0:
        sentence += "."
    return sentence


def comparison_key(text):
    return " ".join(unicodedata.normalize("NFKC", text).lower().replace(".", " ").split())


def generate(heldout, per_concept, rng):
    rows = []
    for concept_number, concept in enumerate(CONCEPTS):
        group, intrinsic, is_heldout = concept[0], concept[1], concept[2]
        if is_heldout != heldout:
            continue
        for lang in LANGUAGES:
            task = concept[LANGUAGE_INDEX[lang]]
            frames = FRAMES[lang][1 if heldout else 0]
            seen = set()
            attempts = 0
            while len(seen) < per_concept:
                attempts += 1
                assert attempts < 1000, (group, task)
                frame = frames[rng.below(len(frames))]
                # Tasks with their own goal sometimes come without a place phrase; the others always have one,
                # so every description carries at least one SDG goal.
                if intrinsic and rng.below(4) == 0:
                    direction, context = None, ""
                else:
                    direction = DIRECTIONS[rng.below(len(DIRECTIONS))]
                    phrases = CONTEXTS[direction][lang][1 if heldout else 0]
                    context = phrases[rng.below(len(phrases))]
                text = frame(task, context)
                key = comparison_key(text)
                if key in seen:
                    continue
                seen.add(key)
                goals = set(intrinsic)
                if direction is not None:
                    goals.add(DIRECTION_GOAL[direction])
                rows.append((lang, group, ";".join(str(g) for g in sorted(goals)), f"{group}.{concept_number:03d}",
                             surface(rng, text)))
    return rows


def generate_roles(rng):
    rows = []
    for role_number, (group, intrinsic, en, ru, kk, uz) in enumerate(ROLES):
        for lang, role in (("en", en), ("ru", ru), ("kk", kk), ("uz", uz)):
            frames = ROLE_FRAMES[lang]
            seen = set()
            while len(seen) < ROLES_PER_ROLE:
                frame = frames[rng.below(len(frames))]
                if intrinsic and rng.below(4) == 0:
                    direction, context = None, ""
                else:
                    direction = DIRECTIONS[rng.below(len(DIRECTIONS))]
                    phrases = CONTEXTS[direction][lang][0]
                    context = phrases[rng.below(len(phrases))]
                text = frame(role, context)
                key = comparison_key(text)
                if key in seen:
                    continue
                seen.add(key)
                goals = set(intrinsic)
                if direction is not None:
                    goals.add(DIRECTION_GOAL[direction])
                rows.append((lang, group, ";".join(str(g) for g in sorted(goals)), f"{group}.r{role_number:02d}",
                             surface(rng, text)))
    return rows


def write(path, rows, prefix):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("id\tlanguage\tisco_major\tsdg_goals\tconcept\ttext\n")
        for i, (lang, group, goals, concept, text) in enumerate(rows, start=1):
            assert "\t" not in text and "\n" not in text
            out.write(f"{prefix}{i:05d}\t{lang}\t{group}\t{goals}\t{concept}\t{text}\n")


def main():
    # Independent streams, so adding training material never changes the held-out set (and vice versa).
    training = generate(False, TRAIN_PER_CONCEPT, SplitMix64(SEED))
    heldout = generate(True, HELDOUT_PER_CONCEPT, SplitMix64(SEED + 1))
    training += generate_roles(SplitMix64(SEED + 2))
    training_keys = {comparison_key(r[4]) for r in training}
    overlap = [r for r in heldout if comparison_key(r[4]) in training_keys]
    assert not overlap, overlap
    write(os.path.join(HERE, "training-generated.tsv"), training, "t")
    write(os.path.join(HERE, "heldout-generated.tsv"), heldout, "h")
    counts = {}
    for name, rows in (("training", training), ("heldout", heldout)):
        for lang, group, *_ in rows:
            counts[(name, lang, group)] = counts.get((name, lang, group), 0) + 1
    for name in ("training", "heldout"):
        print(name)
        print("group " + " ".join(f"{lang:>4}" for lang in LANGUAGES))
        for group in range(1, 10):
            print(f"{group:>5} " + " ".join(f"{counts.get((name, lang, group), 0):>4}" for lang in LANGUAGES))


if __name__ == "__main__":
    main()
