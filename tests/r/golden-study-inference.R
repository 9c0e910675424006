# Study-mode inference goldens for issue #19 (annex marks and study-file calibration).
# Run: cd tests/r && Rscript golden-study-inference.R   (R survey 4.1-1)
#
# Writes a two-country study fixture (person x activity rows of an ILO-style module, one CSV per country, read by
# TestData/estimation/study_inference.yaml), the population margins of each country (sex, age group, region) and two
# golden CSVs that C# must match to 1e-9 relative (StudyInferenceParityTests):
#   study_differences_golden.csv  pairwise differences of the volunteer rate and of hours per volunteer:
#       sexes within a country and within the pool: svyby(covmat = TRUE) + svycontrast, df = degf(design);
#       countries: independent samples, SE = sqrt(se_a^2 + se_b^2), df = degf(a) + degf(b);
#     on the Taylor design (convert: none) and on JKn replicates built from it (convert: auto, as.svrepdesign).
#   study_calibration_golden.csv  the volunteer rate and the number of volunteers (whole population and by sex) after
#       calibrate(design, ~sex + age_group + region, population, calfun, bounds), for linear (Taylor), raking (JKn)
#       and logit with bounds (JKn); each country calibrated to its own margins, the pool to all of them (block diagonal).
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
out_dir <- "../ContributionIndex.Tests/TestData/estimation"
source("golden-common.R")  # write_data
num <- function(x) sprintf("%.17g", as.numeric(x))  # unlike the shared num it drops names: rows are bound by position

# ---------------------------------------------------------------- fixture
set.seed(20261207)
make_country <- function(code, p_female, p_male) {
  rows <- list()
  for (h in 1:4) for (j in 1:5) for (k in 1:7) {
    id <- sprintf("%s%d%d%d", code, h, j, k)
    w <- round(runif(1, 60, 140) * h, 3)
    sex <- sample(c("1", "2"), 1)
    age <- sample(15:80, 1)
    region <- if (h <= 2) "North" else "South"
    if (runif(1) < (if (sex == "2") p_female else p_male)) {
      for (a in seq_len(sample(1:2, 1))) {
        rows[[length(rows) + 1]] <- data.frame(person = id, activity = letters[a], weight = w, stratum = paste0("S", h), psu = paste0("c", j),
          region = region, sex = sex, age = age, volunteered = "1", hours = sample(c(0.5, 1, 2, 3.5, 6, 10, 14), 1),
          own_household = as.integer(runif(1) < 0.15), stringsAsFactors = FALSE)
      }
    } else {
      rows[[length(rows) + 1]] <- data.frame(person = id, activity = NA, weight = w, stratum = paste0("S", h), psu = paste0("c", j),
        region = region, sex = sex, age = age, volunteered = "2", hours = NA, own_household = NA, stringsAsFactors = FALSE)
    }
  }
  do.call(rbind, rows)
}
raw <- list(KZ = make_country("KZ", 0.45, 0.30), KG = make_country("KG", 0.35, 0.33))
write_data(raw$KZ, "study_inference_kz.csv")
write_data(raw$KG, "study_inference_kg.csv")

# The person-level table as study mode builds it (volunteer-estimates.md): activities for the own household are not
# volunteer work; under one reference-period hour is not a volunteer; four weeks annualised by 13.
persons_of <- function(vs, country) {
  vs$work <- ifelse(vs$volunteered == "1" & !is.na(vs$hours) & vs$hours > 0 & vs$own_household == 0, vs$hours, 0)
  p <- unique(vs[, c("person", "weight", "stratum", "psu", "region", "sex", "age")])
  ref <- tapply(vs$work, vs$person, sum)[p$person]
  p$volunteer <- as.numeric(ref >= 1)
  p$annual_hours <- as.numeric(ifelse(p$volunteer == 1, ref * 13, 0))
  p$sex <- ifelse(p$sex == "2", "female", "male")
  p$age_group <- as.character(cut(p$age, c(14, 29, 54, 64, Inf), labels = c("15-29", "30-54", "55-64", "65+")))
  p$country <- country
  p$cstratum <- paste(country, p$stratum, sep = ":")
  p$cpsu <- paste(country, p$psu, sep = ":")
  p
}
persons <- list(KZ = persons_of(raw$KZ, "KZ"), KG = persons_of(raw$KG, "KG"))
persons$ALL <- rbind(persons$KZ, persons$KG)

# Population margins (variable,level,total): the weighted sample totals scaled and tilted so that calibration moves the weights.
margins <- list()
for (cc in c("KZ", "KG")) {
  p <- persons[[cc]]
  n <- sum(p$weight) * 1.08
  sex_share <- c(female = 0.52, male = 0.48)
  ages <- sort(unique(p$age_group)); age_w <- tapply(p$weight, p$age_group, sum)[ages]; age_w <- age_w / sum(age_w) * c(1.1, 1, 0.95, 0.9)[seq_along(ages)]
  regions <- sort(unique(p$region)); reg_w <- tapply(p$weight, p$region, sum)[regions]; reg_w <- reg_w / sum(reg_w) * c(0.97, 1.04)
  m <- rbind(data.frame(variable = "sex", level = names(sex_share), total = round(n * sex_share)),
    data.frame(variable = "age_group", level = ages, total = round(n * age_w / sum(age_w))),
    data.frame(variable = "region", level = regions, total = round(n * reg_w / sum(reg_w))))
  # Each factor adds up to the same population: put the rounding difference on the last level.
  N <- sum(m$total[m$variable == "sex"])
  for (v in c("age_group", "region")) { i <- max(which(m$variable == v)); m$total[i] <- m$total[i] + N - sum(m$total[m$variable == v]) }
  margins[[cc]] <- m
  write_data(m, sprintf("study_inference_margins_%s.csv", tolower(cc)))
}

taylor_of <- function(p) svydesign(ids = ~cpsu, strata = ~cstratum, weights = ~weight, nest = TRUE, data = p)
designs <- list()
for (scope in c("KZ", "KG", "ALL")) {
  t <- taylor_of(persons[[scope]])
  designs[[paste0("taylor:", scope)]] <- t
  designs[[paste0("jkn:", scope)]] <- as.svrepdesign(t, type = "JKn")
}

# ---------------------------------------------------------------- differences
diff_rows <- list()
add_diff <- function(design, scope, measure, compare, a, b, d, se, df) {
  t <- d / se
  diff_rows[[length(diff_rows) + 1]] <<- data.frame(design = design, scope = scope, measure = measure, compare = compare, level_a = a, level_b = b,
    difference = num(d), se = num(se), df = num(df), p = num(2 * pt(-abs(t), df)), stringsAsFactors = FALSE)
}
estimate <- function(des, measure, by = NULL) {
  if (measure == "volunteer_rate") {
    if (is.null(by)) svymean(~volunteer, des) else svyby(~volunteer, by, des, svymean, covmat = TRUE)
  } else {
    if (is.null(by)) svyratio(~annual_hours, ~volunteer, des) else svyby(~annual_hours, by, des, svyratio, denominator = ~volunteer, covmat = TRUE)
  }
}
for (kind in c("taylor", "jkn")) for (measure in c("volunteer_rate", "hours_per_volunteer")) {
  for (scope in c("KZ", "KG", "ALL")) {
    des <- designs[[paste0(kind, ":", scope)]]
    est <- estimate(des, measure, ~sex)
    # svyby orders the levels: female, male; the contrast is male - female.
    con <- svycontrast(est, c(-1, 1))
    add_diff(kind, scope, measure, "sex", "female", "male", coef(con), SE(con), degf(des))
  }
  a <- estimate(designs[[paste0(kind, ":KZ")]], measure); b <- estimate(designs[[paste0(kind, ":KG")]], measure)
  add_diff(kind, "ALL", measure, "country", "KZ", "KG", coef(b) - coef(a), sqrt(SE(a)^2 + SE(b)^2),
    degf(designs[[paste0(kind, ":KZ")]]) + degf(designs[[paste0(kind, ":KG")]]))
}
write.csv(do.call(rbind, diff_rows), file.path(out_dir, "study_differences_golden.csv"), row.names = FALSE, quote = FALSE)

# A check of the claim in estimation.md: in the Taylor pool, the covariance of two countries' estimates is zero (separate
# strata), so the pooled contrast equals the independent-samples formula. (Under JKn the pool's replicate variance is
# centred on the mean of all replicates, so it differs from each country's own design by ~1e-4 relative; the annex uses
# each country's own design, as its tables do.)
for (kind in c("taylor")) {
  pooled <- svycontrast(svyby(~volunteer, ~country, designs[[paste0(kind, ":ALL")]], svymean, covmat = TRUE), c(-1, 1))  # KZ - KG by level order
  a <- svymean(~volunteer, designs[[paste0(kind, ":KZ")]]); b <- svymean(~volunteer, designs[[paste0(kind, ":KG")]])
  stopifnot(isTRUE(all.equal(as.numeric(SE(pooled)), as.numeric(sqrt(SE(a)^2 + SE(b)^2)), tolerance = 1e-12)))
}

# ---------------------------------------------------------------- calibration
# One total per model-matrix column: the intercept is the population, a factor column the level's total.
population_of <- function(mm_names, cc) {
  m <- margins[[cc]]
  sapply(mm_names, function(col) {
    if (col == "(Intercept)") return(sum(m$total[m$variable == "sex"]))
    parts <- regmatches(col, regexec("^(sex|age_group|region)(.*)$", col))[[1]]
    m$total[m$variable == parts[2] & m$level == parts[3]]
  })
}
cal_rows <- list()
variants <- list(list(name = "linear", kind = "taylor", calfun = "linear", bounds = NULL),
  list(name = "raking", kind = "jkn", calfun = "raking", bounds = NULL),
  list(name = "logit", kind = "jkn", calfun = "logit", bounds = c(0.5, 2)))
for (v in variants) for (scope in c("KZ", "KG", "ALL")) {
  base <- designs[[paste0(v$kind, ":", scope)]]
  if (scope != "ALL") {
    mm <- model.matrix(~sex + age_group + region, base$variables)
    formula <- ~sex + age_group + region
    pop <- population_of(colnames(mm), scope)
  } else {
    # The pool is calibrated to every country's margins at once: its model is block diagonal, each country's own
    # columns (its intercept and its non-first levels) and zero elsewhere, so the calibrated weights are each
    # country's own. Built as numeric columns x1, x2, ... with no common intercept.
    vars <- base$variables; names_x <- c(); pop <- c()
    for (cc in c("KZ", "KG")) {
      mm <- model.matrix(~sex + age_group + region, persons[[cc]])
      tot <- population_of(colnames(mm), cc)
      for (j in seq_len(ncol(mm))) {
        name <- paste0("x", length(names_x) + 1)
        col <- rep(0, nrow(vars)); col[vars$country == cc] <- mm[, j]
        vars[[name]] <- col; names_x <- c(names_x, name); pop <- c(pop, tot[j])
      }
    }
    base$variables <- vars
    formula <- as.formula(paste("~0 +", paste(names_x, collapse = " + ")))
    names(pop) <- names_x
  }
  cal <- if (is.null(v$bounds)) calibrate(base, formula, pop, calfun = v$calfun)
         else calibrate(base, formula, pop, calfun = v$calfun, bounds = v$bounds)
  # Calibration reproduces the population size.
  stopifnot(isTRUE(all.equal(sum(weights(cal, "sampling")), sum(sapply(if (scope == "ALL") c("KZ", "KG") else scope, function(cc) sum(margins[[cc]]$total[margins[[cc]]$variable == "sex"]))), tolerance = 1e-6)))
  add <- function(statistic, measure, est, domain, value, i) {
    ci <- confint(est, df = degf(cal))
    cal_rows[[length(cal_rows) + 1]] <<- data.frame(variant = v$name, design = v$kind, scope = scope, statistic = statistic, measure = measure,
      domain = domain, domain_value = value, estimate = num(coef(est)[i]), se = num(SE(est)[i]), df = num(degf(cal)), stringsAsFactors = FALSE)
  }
  add("mean", "volunteer_rate", svymean(~volunteer, cal), "all", "all", 1)
  add("total", "volunteers", svytotal(~volunteer, cal), "all", "all", 1)
  by_rate <- svyby(~volunteer, ~sex, cal, svymean); by_total <- svyby(~volunteer, ~sex, cal, svytotal)
  for (i in seq_len(nrow(by_rate))) {
    level <- as.character(by_rate$sex[i])
    add("mean", "volunteer_rate", by_rate, "sex", level, i)
    add("total", "volunteers", by_total, "sex", level, i)
  }
}
write.csv(do.call(rbind, cal_rows), file.path(out_dir, "study_calibration_golden.csv"), row.names = FALSE, quote = FALSE)
cat("differences:", length(diff_rows), "calibration:", length(cal_rows), "\n")
