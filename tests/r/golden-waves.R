# Golden change table of the two-wave sample (issue #19, methodology/change-over-time.md): Kazakhstan 2019
# (samples/central-asia/kz-2019.yaml) and 2023 (kz.yaml, which names 2019 as its previous wave).
# Run:  cd tests/r && Rscript golden-waves.R      (R survey 4.1-1; writes waves-golden.csv next to this script)
#
# R builds the person-level table itself from the two survey files with the 19th ICLS rules the samples exercise
# (methodology/volunteer-estimates.md §1, icls-checks.md): the three deliberate error rows are rejected (hours that are
# not a number, hours of a person who answered no, more hours than four weeks contain); an activity is volunteer work
# when answered yes with hours > 0, not for the own household, not for relatives, and with a stipend below one third of
# the hours' market value (task ISCO wage, climbing the ISCO ladder; the average hourly wage for an uncoded task); a person is a volunteer with at least one hour of
# such work. Annual hours = 13 x hours; specialist value = annual hours x task wage (ISCO ladder; the average hourly
# wage for an uncoded task); on-costs 0.
#
# Estimation. The golden holds each wave's own design, as the study publishes it: as.svrepdesign(svydesign(ids = ~psu,
# strata = ~stratum, weights = ~weight, nest = TRUE), type = "JKn") per wave (the sample's default design,
# estimation.replicates.convert: auto); difference = current - D x previous (D = CPI 2023 / CPI 2019 of kz.yaml for the
# value, 1 otherwise), SE = sqrt(se_current^2 + (D se_previous)^2), df = degf of the two waves stacked as ONE design with
# strata nested in wave, svydesign(ids = ~psu, strata = ~interaction(wave, stratum), ...), which the script checks equals
# the sum of the waves' df (Taylor and JKn). It also fits the stacked design itself (JKn, mse = TRUE) with
# svycontrast(svyby(~y, ~wave, ..., covmat = TRUE), c(-D, 1)) and prints the largest relative difference from the
# per-wave result (2.7e-7 when written): a stacked JKn design centres replicates differently from each wave's own
# mse = FALSE design, so it is reported, not used as the golden (methodology/change-over-time.md).
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
root <- file.path("..", "..", "samples", "central-asia")
num <- function(x) { x <- trimws(x); x[x == ""] <- NA; suppressWarnings(as.numeric(sub(",", ".", x, fixed = TRUE))) }

wage_ladder <- function(table, average) function(isco) {
  sapply(isco, function(code) {
    if (is.na(code) || code == "") return(average)   # an uncoded task: the generalist (average) wage
    for (k in nchar(code):1) { w <- table$hourly_wage[table$isco == substr(code, 1, k)]; if (length(w) == 1) return(w) }
    average
  })
}

persons_of <- function(year, average_wage) {
  d <- read.table(file.path(root, "data", sprintf("kz_lfs_volunteer_module_%d.csv", year)), sep = ";", header = TRUE,
    colClasses = "character", fileEncoding = "CP1251", quote = "\"", check.names = FALSE, comment.char = "", na.strings = character(0))
  # Columns by position (generate.py SURVEY_COLUMNS), so that the Russian headers need no matching.
  d <- data.frame(person = d[[1]], weight = num(d[[3]]), stratum = d[[4]], psu = d[[5]], sex = ifelse(d[[8]] == "2", "female", "male"),
    age = num(d[[9]]), volunteered = d[[13]], hours_text = trimws(d[[14]]), isco = d[[15]], stipend = num(d[[20]]),
    own = d[[21]], relatives = d[[22]], stringsAsFactors = FALSE)
  d$hours <- num(d$hours_text)
  wages <- read.csv(file.path(root, "parameters", sprintf("kz_isco_wages_%d.csv", year)), colClasses = c(isco = "character"))
  ladder <- wage_ladder(wages, average_wage)
  # Rejected rows (quarantine): hours not a number; hours of a person who answered no; above 28 x 24 hours in total.
  bad <- (d$hours_text != "" & is.na(d$hours)) | (d$volunteered == "2" & !is.na(d$hours) & d$hours > 0)
  total <- tapply(ifelse(is.na(d$hours), 0, d$hours), d$person, sum)
  bad <- bad | (total[d$person] > 28 * 24 & !is.na(d$hours) & d$hours > 0)
  d <- d[!bad, ]
  market <- ladder(d$isco)
  paid <- !is.na(d$stipend) & d$stipend > 0 & !is.na(d$hours) & d$stipend >= 0.3333333333333333 * d$hours * market
  valid <- d$volunteered == "1" & !is.na(d$hours) & d$hours > 0 & d$own != "1" & d$relatives != "1" & !paid
  work <- ifelse(valid, d$hours, 0)
  wage <- market
  p <- unique(d[, c("person", "weight", "stratum", "psu", "sex", "age")])
  ref_hours <- tapply(work, d$person, sum)[p$person]
  p$volunteer <- as.numeric(ref_hours >= 1)
  p$annual_hours <- ifelse(p$volunteer == 1, 13 * ref_hours, 0)
  p$value <- ifelse(p$volunteer == 1, tapply(13 * work * wage, d$person, sum)[p$person], 0)
  p$wave <- as.character(year)
  p
}

monthly_hours <- 1984 / 12
waves <- list(persons_of(2019, 186815 / monthly_hours), persons_of(2023, 364295 / monthly_hours))
both <- do.call(rbind, waves)
cpi <- c("2019" = 100 * 189.3 / 251.1, "2023" = 114.53)   # kz.yaml countries[0].cpi
deflator <- unname(cpi["2023"] / cpi["2019"])

stacked <- svydesign(ids = ~psu, strata = ~interaction(wave, stratum), weights = ~weight, nest = TRUE, data = both)
stacked_jkn <- as.svrepdesign(stacked, type = "JKn", mse = TRUE)
own_jkn <- lapply(c("2019", "2023"), function(y) as.svrepdesign(svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = both[both$wave == y, ]), type = "JKn"))
df_stacked <- degf(stacked)
stopifnot(degf(stacked_jkn) == df_stacked, df_stacked == degf(own_jkn[[1]]) + degf(own_jkn[[2]]))

measures <- list(volunteer_rate = list(stat = "mean", y = ~volunteer), annual_hours = list(stat = "total", y = ~annual_hours),
  hours_per_volunteer = list(stat = "ratio", y = ~annual_hours, den = ~volunteer), value_specialist_lcu = list(stat = "total", y = ~value))
estimate <- function(des, m, by) {
  f <- switch(m$stat, mean = svymean, total = svytotal, ratio = svyratio)
  if (m$stat == "ratio") svyby(m$y, by, des, svyratio, denominator = m$den, covmat = TRUE) else svyby(m$y, by, des, f, covmat = TRUE)
}
rows <- list(); worst_centring <- 0
for (domain in c("all", "sex")) {
  levels <- if (domain == "all") "all" else c("female", "male")
  for (level in levels) {
    for (name in names(measures)) {
      m <- measures[[name]]
      D <- if (name == "value_specialist_lcu") deflator else 1
      sub_st <- if (domain == "all") stacked_jkn else subset(stacked_jkn, sex == level)
      by_wave <- estimate(sub_st, m, ~wave)
      change <- svycontrast(by_wave, c(-D, 1))
      # Each wave's own design (what C# uses): estimate and SE per wave, then the independent-samples difference.
      own <- lapply(own_jkn, function(des) {
        des <- if (domain == "all") des else subset(des, sex == level)
        e <- if (m$stat == "ratio") svyratio(m$y, m$den, des) else if (m$stat == "mean") svymean(m$y, des) else svytotal(m$y, des)
        c(coef(e), SE(e))
      })
      diff <- own[[2]][1] - D * own[[1]][1]
      se <- sqrt(own[[2]][2]^2 + (D * own[[1]][2])^2)
      worst_centring <- max(worst_centring, abs(SE(change) - se) / se, abs(coef(change) - diff) / abs(diff))
      q <- qt(0.975, df_stacked); t <- diff / se
      rows[[length(rows) + 1]] <- data.frame(country = "KZ", variable = name, domain = domain, domain_value = level,
        previous = own[[1]][1], previous_se = own[[1]][2], current = own[[2]][1], current_se = own[[2]][2], deflator = D,
        difference = diff, se = se, ci_low = diff - q * se, ci_high = diff + q * se, df = df_stacked, t = t,
        p = 2 * pt(-abs(t), df_stacked), stacked_difference = unname(coef(change)), stacked_se = unname(SE(change)))
    }
  }
}
golden <- do.call(rbind, rows)
golden$significant <- ifelse(golden$p < 0.05, "yes", "no")
cat(sprintf("stacked JKn (mse = TRUE) vs the waves' own JKn designs: largest relative difference of estimate or SE %.2e\n", worst_centring))
out <- golden; out[] <- lapply(out, function(x) if (is.numeric(x)) sprintf("%.17g", x) else x)
write.csv(out, "waves-golden.csv", row.names = FALSE, quote = FALSE)
cat(nrow(golden), "changes written to waves-golden.csv;", R.version.string, "survey", as.character(packageVersion("survey")), "\n")
print(golden[, c("variable", "domain_value", "previous", "current", "difference", "se", "p")])
