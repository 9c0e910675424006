* GNU PSPP syntax for the Windows-1251 SPSS fixture of the SpssTabularReader tests (#18); run by stat-files.R.
* The dictionary takes the encoding set here, so names, labels and text are stored in Windows-1251 with an encoding record.
SET LOCALE='windows-1251'.
GET DATA /TYPE=TXT /FILE='stat-files-pspp-data.csv' /ENCODING='UTF-8' /ARRANGEMENT=DELIMITED /DELIMITERS=',' /FIRSTCASE=2
  /VARIABLES=id F8.0 sex F1.0 age F3.0 status F1.0 hours F8.2 region A20 volunteered F1.0.
VARIABLE LABELS id 'Идентификатор' sex 'Пол' age 'Возраст' status 'Статус занятости' hours 'Часы' region 'Регион' volunteered 'Участвовал в волонтерской работе'.
VALUE LABELS sex 1 'Мужской' 2 'Женский' /status 1 'Занят' 2 'Безработный' 3 'Вне рабочей силы' 9 'Отказ' /volunteered 1 'Да' 2 'Нет'.
MISSING VALUES age (97 THRU 99) /status (9).
WEIGHT BY hours.
SAVE OUTFILE='../ContributionIndex.Tests/TestData/statfiles/pspp-cp1251.sav' /UNCOMPRESSED.
