# SPSS and Stata fixtures for the SpssTabularReader and StataTabularReader tests (#18), written by independent software:
# R haven (ReadStat) and foreign here, GNU PSPP in stat-files.sps (run by this script when `pspp` is on the PATH).
#
#   cd tests/r && Rscript stat-files.R
#
# Writes into ../ContributionIndex.Tests/TestData/statfiles/, for every data file NAME.(sav|zsav|dta) its twins:
#   NAME.csv          the cells a reader must produce: numbers as %.17g, missing (system-, user- and Stata missing) empty,
#                     dates yyyy-mm-dd, text as stored (UTF-8 CSV, every field quoted)
#   NAME.labels.csv   variable,value,label: every value label (values of numeric variables as %.17g)
#   NAME.vars.csv     variable,label,numeric: the variable labels, and whether the variable is numeric
# Tests read only these files; they never need R or PSPP.
# Debian 12: r-base-core 4.2.2, haven 2.5.1, foreign 0.8-84; pspp 1.6.2.

suppressMessages({ library(haven); library(foreign) })
out_dir <- "../ContributionIndex.Tests/TestData/statfiles"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

cell <- function(col) {
  # What a reader must produce: user-missing values (na_values / na_range) and NA are empty.
  value <- if (inherits(col, "haven_labelled_spss")) {
    v <- unclass(col); miss <- is.na(v)
    if (!is.null(attr(col, "na_values"))) miss <- miss | v %in% attr(col, "na_values")
    if (!is.null(attr(col, "na_range"))) { r <- attr(col, "na_range"); miss <- miss | (!is.na(v) & v >= r[1] & v <= r[2]) }
    v[miss] <- NA; v
  } else unclass(col)
  if (inherits(col, "Date")) return(ifelse(is.na(col), "", format(col, "%Y-%m-%d")))
  if (is.numeric(value)) return(ifelse(is.na(value), "", sprintf("%.17g", as.numeric(value))))
  v <- as.character(value); v[is.na(v)] <- ""; v
}

write_twins <- function(df, name) {
  out <- as.data.frame(lapply(df, cell), stringsAsFactors = FALSE, check.names = FALSE)
  write.csv(out, file.path(out_dir, paste0(name, ".csv")), row.names = FALSE, fileEncoding = "UTF-8", na = "")
  labels <- do.call(rbind, lapply(names(df), function(n) {
    l <- attr(df[[n]], "labels")
    if (is.null(l)) return(NULL)
    data.frame(variable = n, value = if (is.numeric(l)) sprintf("%.17g", unname(l)) else unname(l), label = names(l))
  }))
  if (is.null(labels)) labels <- data.frame(variable = character(), value = character(), label = character())
  write.csv(labels, file.path(out_dir, paste0(name, ".labels.csv")), row.names = FALSE, fileEncoding = "UTF-8")
  vars <- data.frame(variable = names(df),
                     label = vapply(df, function(c) { l <- attr(c, "label", exact = TRUE); if (is.null(l)) "" else l }, ""),
                     numeric = vapply(df, function(c) if (is.numeric(c) || inherits(c, "Date")) "true" else "false", ""))
  write.csv(vars, file.path(out_dir, paste0(name, ".vars.csv")), row.names = FALSE, fileEncoding = "UTF-8")
}

set.seed(18)
n <- 14
long_text <- trimws(strrep("Длинный текст ", 25))          # 349 bytes of UTF-8: a long string (> 255 bytes); SPSS pads strings with spaces, so none ends with one
very_long <- paste(rep("Очень длинная строка ɑ қ ә 0123456789", 40), collapse = " / ")   # ~2,100 bytes: several segments
spss <- data.frame(id = 1:n)
spss$id <- labelled(as.numeric(spss$id), label = "Идентификатор респондента")
spss$sex <- labelled_spss(c(1, 2, 2, 1, 1, 2, NA, 1, 2, 2, 1, 2, 1, 2), labels = c("Мужской" = 1, "Женский" = 2), label = "Пол")
spss$age <- labelled_spss(c(15, 24, 37, 99, 61, 42, 33, 99, 18, 70, 25, 52, 46, 30), na_values = 99, label = "Возраст, лет")
spss$status <- labelled_spss(c(1, 2, 3, 9, 1, 1, 8, 3, 2, 1, 1, 3, 1, 2),
                             labels = c("Занят" = 1, "Безработный" = 2, "Вне рабочей силы" = 3, "Нет ответа" = 9),
                             na_range = c(8, 9), label = "Статус занятости")
spss$hours <- labelled(c(1.5, 2.25, 0.1, 1e-3, 123456.789, NA, 0, 40, 7.75, -0, 3, 1/3, 12, 2e-10), label = "Часы волонтерской работы")
spss$region <- c("Алматы", "Қостанай", "Астана", "", "Шымкент", "Ақтөбе", "Атырау", "Алматы", "Қостанай", "Астана", "Түркістан", "Абай", "Жетісу", "Ұлытау")
spss$urban <- labelled(c("U", "R", "U", "U", "R", "R", "U", "R", "U", "R", "U", "R", "U", "R"), labels = c("Город" = "U", "Село" = "R"), label = "Город/село")
spss$comment <- c(long_text, rep(c("коротко", ""), length.out = n - 1))
spss$essay <- c(rep(c(very_long, "кратко"), length.out = n))
spss$interview <- as.Date("2023-01-15") + c(0, 3, 10, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
spss$weight <- labelled(round(runif(n, 500, 3000), 2), label = "Вес")

write_sav(spss, file.path(out_dir, "survey-none.sav"), compress = "none")
write_twins(spss, "survey-none")
write_sav(spss, file.path(out_dir, "survey-byte.sav"), compress = "byte")
write_twins(spss, "survey-byte")
write_sav(spss, file.path(out_dir, "survey.zsav"), compress = "zsav")
write_twins(spss, "survey-zsav")

# Stata: no user-missing (Stata's missing values are ., .a–.z; haven writes user-missing as missing), value labels only
# on numbers; 114/115 hold strings of at most 244 bytes, 117+ also strL.
stata <- spss
stata$sex <- labelled(zap_missing(spss$sex), labels = attr(spss$sex, "labels"), label = "Пол")
stata$age <- labelled(ifelse(spss$age == 99, tagged_na("a"), unclass(spss$age)), label = "Возраст, лет")
stata$status <- labelled(ifelse(spss$status %in% c(8, 9), NA, unclass(spss$status)),
                         labels = c("Занят" = 1, "Безработный" = 2, "Вне рабочей силы" = 3), label = "Статус занятости")
stata$urban <- labelled(as.character(spss$urban), label = "Город/село")
stata$hours <- labelled(unclass(spss$hours), label = "Часы волонтерской работы")
for (v in c(117, 118, 119)) {
  version <- c("117" = 13, "118" = 14, "119" = 15)[[as.character(v)]]
  write_dta(stata, file.path(out_dir, sprintf("survey-%d.dta", v)), version = version)
  write_twins(stata, sprintf("survey-%d", v))
}
short <- stata[, setdiff(names(stata), c("comment", "essay"))]
write_dta(short, file.path(out_dir, "survey-115.dta"), version = 12)
write_twins(short, "survey-115")

# foreign (independent of ReadStat) writes format 114 for version 10; Windows-1251 bytes as Russian Stata 10 users have them.
cp <- data.frame(id = 1:6, sex = c(1L, 2L, 2L, 1L, NA, 2L), hours = c(1.5, 2, NA, 0.25, 10, 3),
                 region = c("Алматы", "Астана", "Шымкент", "Жезказган", "Караганда", "Павлодар"), stringsAsFactors = FALSE)
cp_1251 <- cp
cp_1251$region <- iconv(cp$region, "UTF-8", "CP1251")
cp_1251$sex <- factor(c("Мужской", "Женский")[cp$sex], levels = c("Мужской", "Женский"))
levels(cp_1251$sex) <- iconv(levels(cp_1251$sex), "UTF-8", "CP1251")
cp_labels <- c("Идентификатор", "Пол", "Часы", "Регион")
attr(cp_1251, "var.labels") <- iconv(cp_labels, "UTF-8", "CP1251")
write.dta(cp_1251, file.path(out_dir, "survey-114-cp1251.dta"), version = 10L)
cp_twin <- cp
cp_twin$sex <- labelled(cp$sex, labels = c("Мужской" = 1L, "Женский" = 2L))
for (i in seq_along(cp_labels)) attr(cp_twin[[i]], "label") <- cp_labels[[i]]
write_twins(cp_twin, "survey-114-cp1251")

if (nzchar(Sys.which("pspp"))) {
  stopifnot(system2("pspp", c("-b", "stat-files.sps")) == 0)
  # The PSPP file's twin: the same cells as the syntax's inline data (user-missing 9 and the range 97 thru 99 empty).
  ps <- read.csv("stat-files-pspp-data.csv", fileEncoding = "UTF-8", colClasses = "character", check.names = FALSE)
  ps$age[ps$age %in% c("97", "98", "99")] <- ""
  ps$status[ps$status == "9"] <- ""
  write.csv(ps, file.path(out_dir, "pspp-cp1251.csv"), row.names = FALSE, fileEncoding = "UTF-8")
  # Its labels, as stat-files.sps declares them.
  write.csv(data.frame(variable = c("sex", "sex", "status", "status", "status", "status", "volunteered", "volunteered"),
                       value = c("1", "2", "1", "2", "3", "9", "1", "2"),
                       label = c("Мужской", "Женский", "Занят", "Безработный", "Вне рабочей силы", "Отказ", "Да", "Нет")),
            file.path(out_dir, "pspp-cp1251.labels.csv"), row.names = FALSE, fileEncoding = "UTF-8")
  write.csv(data.frame(variable = names(ps),
                       label = c("Идентификатор", "Пол", "Возраст", "Статус занятости", "Часы", "Регион", "Участвовал в волонтерской работе"),
                       numeric = c("true", "true", "true", "true", "true", "false", "true")),
            file.path(out_dir, "pspp-cp1251.vars.csv"), row.names = FALSE, fileEncoding = "UTF-8")
}

# SPSS twins of the four sample surveys (samples/central-asia/data): the same cases, the coded columns labelled in
# Russian and the variables labelled, so that `contrib init` can be tested on a labelled file (StudyScaffoldTests).
samples <- list(
  kz = list(sep = ";", dec = ",", enc = "CP1251"), kg = list(sep = ",", dec = ".", enc = "UTF-8-BOM"),
  tj = list(sep = "\t", dec = ".", enc = "UTF-16LE"), uz = list(sep = ";", dec = ",", enc = "UTF-8"))
yes_no <- c("Нет" = 0, "Да" = 1)
labels_by_column <- list(
  sex = c("Мужской" = 1, "Женский" = 2), urban_rural = c("Город" = "U", "Село" = "R"),
  lfs_status = c("Занят" = 1, "Безработный" = 2, "Вне рабочей силы" = 3), work_01 = c("Да" = 1, "Нет" = 2),
  type_org = c("Через организацию" = 1, "Непосредственно" = 2), disability = yes_no, own_household = yes_no, relatives = yes_no)
variable_labels <- c(resp_id = "Идентификатор респондента", weight = "Весовой коэффициент", sex = "Пол", age = "Возраст",
  work_01 = "Занимался ли волонтерской работой за последние 4 недели", hour_01 = "Часы волонтерской работы")
# The Kazakhstan sample names some columns in Russian; its labels follow the same English roots.
kz_names <- c("ид_респондента" = "resp_id", "деятельность" = "activity", "вес" = "weight", "страта" = "stratum", "пе" = "psu",
  "регион" = "region", "город_село" = "urban_rural", "пол" = "sex", "возраст" = "age", "инвалидность" = "disability",
  "статус_занятости" = "lfs_status", "часовая_зп" = "hourly_wage", "направление" = "direction", "цур" = "sdg",
  "стипендия" = "stipend", "своё_домохозяйство" = "own_household", "родственники" = "relatives",
  "благополучатели" = "beneficiaries", "часы_обучения" = "training_hours")
dir.create(file.path(out_dir, "samples"), showWarnings = FALSE)
for (cc in names(samples)) {
  s <- samples[[cc]]
  path <- sprintf("../../samples/central-asia/data/%s_lfs_volunteer_module_2023.csv", cc)
  d <- read.table(path, sep = s$sep, dec = s$dec, header = TRUE, fileEncoding = s$enc, encoding = "UTF-8",
                  colClasses = "character", check.names = FALSE, quote = "\"", na.strings = character(), comment.char = "")
  for (n in names(d)) {
    root <- if (n %in% names(kz_names)) kz_names[[n]] else n
    numeric <- root %in% c("weight", "age", "hourly_wage", "hour_01", "stipend", "beneficiaries", "training_hours",
                           "sex", "lfs_status", "work_01", "type_org", "disability", "own_household", "relatives")
    v <- d[[n]]
    if (numeric) v <- as.numeric(sub(",", ".", v, fixed = TRUE))
    if (!is.null(labels_by_column[[root]])) v <- labelled(v, labels = labels_by_column[[root]])
    if (!is.null(variable_labels[root]) && !is.na(variable_labels[root])) attr(v, "label") <- variable_labels[[root]]
    d[[n]] <- v
  }
  write_sav(d, file.path(out_dir, "samples", sprintf("%s_lfs_volunteer_module_2023.sav", cc)), compress = "byte")
}
