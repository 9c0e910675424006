# Golden values for ContributionIndex.Estimation.Regression (contrib model), computed with R survey 4.1-1
# (Debian 12: r-base-core 4.2.2, r-cran-survey 4.1-1): svyglm with gaussian(), quasibinomial() and quasipoisson(), on
# Taylor designs (strata, PSUs, fpc) and replicate designs (JK1 and JKn built by as.svrepdesign, bootstrap weights given
# in the file), with factors (treatment contrasts, levels in C collation), interactions, numeric covariates with missing
# values, and domains through svyglm(subset = ).
#
#   cd tests/r && Rscript golden-model.R
#
# Writes into ../ContributionIndex.Tests/TestData/regression/:
#   persons.csv, apistrat.csv, apiclus1.csv   the sample data (numbers with 17 significant digits, empty = missing)
#   golden-model.json                          one entry per case: the contrib model flags and R's coefficient table
# Every number is written with sprintf("%.17g") so that C# reads back R's double exactly.

suppressMessages(library(survey))
library(jsonlite)
stopifnot(packageVersion("survey") == "4.1.1")
invisible(Sys.setlocale("LC_COLLATE", "C"))
options(survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

out_dir <- "../ContributionIndex.Tests/TestData/regression"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
source("golden-common.R")  # num, write_data

# ---------------------------------------------------------------- data
# Synthetic volunteer survey: 5 regions (strata) x 6-9 PSUs x 10-18 persons; seed fixed here.
set.seed(20261207)
regions <- c("Almaty", "Astana", "East", "North", "South")
rows <- list()
for (h in seq_along(regions)) {
  npsu <- sample(6:9, 1)
  for (j in seq_len(npsu)) {
    m <- sample(10:18, 1)
    sex <- sample(c("F", "M"), m, replace = TRUE)
    age <- sample(c("15-29", "30-54", "55+"), m, replace = TRUE, prob = c(0.3, 0.45, 0.25))
    urban <- sample(c("rural", "urban"), m, replace = TRUE)
    educ <- round(pmax(4, rnorm(m, 11 + (urban == "urban"), 2.5)))
    lp <- -1.4 + 0.35 * (sex == "F") + 0.5 * (age == "15-29") - 0.2 * (age == "55+") + 0.08 * (educ - 11) + 0.25 * (h == 2)
    volunteer <- rbinom(m, 1, plogis(lp))
    hours <- ifelse(volunteer == 1, round(rlnorm(m, log(5 + (sex == "F")), 0.7), 1), 0)
    events <- rpois(m, exp(-0.3 + 0.4 * (urban == "urban") + 0.3 * (age == "15-29") + 0.05 * (educ - 11)))
    rows[[length(rows) + 1]] <- data.frame(region = regions[h], psu = paste0("p", j), popsize = npsu * sample(8:12, 1),
      pw = round(runif(m, 150, 450), 1), sex = sex, age = age, urban = urban, educ = educ,
      volunteer = volunteer, hours = hours, events = events, stringsAsFactors = FALSE)
  }
}
persons <- do.call(rbind, rows)
persons$popsize <- ave(persons$popsize, persons$region, FUN = function(z) z[1])
persons$educ[c(7, 58, 200, 333)] <- NA    # item non-response: rows leave the fit (R na.omit) and the design
persons$hours[c(12, 140, 401)] <- NA
boot <- as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = persons),
  type = "bootstrap", replicates = 50)
bw <- as.matrix(weights(boot, "analysis"))
colnames(bw) <- paste0("rep", seq_len(ncol(bw)))
persons <- cbind(persons, bw)
write_data(persons, "persons.csv")

data(api)
apistrat_d <- apistrat[, c("stype", "pw", "fpc", "api00", "enroll", "meals", "sch.wide")]
apistrat_d$stype <- as.character(apistrat_d$stype)
apistrat_d$schwide <- as.numeric(apistrat_d$sch.wide == "Yes")
apistrat_d$sch.wide <- NULL
write_data(apistrat_d, "apistrat.csv")
apiclus1_d <- apiclus1[, c("dnum", "stype", "pw", "fpc", "api00", "enroll", "meals", "sch.wide")]
apiclus1_d$stype <- as.character(apiclus1_d$stype)
apiclus1_d$schwide <- as.numeric(apiclus1_d$sch.wide == "Yes")
apiclus1_d$sch.wide <- NULL
write_data(apiclus1_d, "apiclus1.csv")

# ---------------------------------------------------------------- designs (R call and the same design as contrib flags)
designs <- list(
  persons_fpc = list(flags = list(data = "persons.csv", weights = "pw", strata = "region", psu = "psu", fpc = "popsize"),
    des = svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~popsize, nest = TRUE, data = persons),
    call = "svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~popsize, nest = TRUE, data = persons)"),
  persons_wr = list(flags = list(data = "persons.csv", weights = "pw", strata = "region", psu = "psu"),
    des = svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = persons),
    call = "svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = persons)"),
  persons_jkn = list(flags = list(data = "persons.csv", weights = "pw", strata = "region", psu = "psu", rep_type = "jkn"),
    des = as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = persons), type = "JKn"),
    call = "as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = persons), type = \"JKn\")"),
  persons_boot = list(flags = list(data = "persons.csv", weights = "pw", repweights = "rep*", rep_type = "bootstrap"),
    des = svrepdesign(data = persons, repweights = "rep[0-9]+", weights = ~pw, type = "bootstrap", combined.weights = TRUE),
    call = "svrepdesign(data = persons, repweights = \"rep[0-9]+\", weights = ~pw, type = \"bootstrap\", combined.weights = TRUE)"),
  apistrat_fpc = list(flags = list(data = "apistrat.csv", weights = "pw", strata = "stype", fpc = "fpc"),
    des = svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat_d),
    call = "svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat_d)"),
  apiclus1_fpc = list(flags = list(data = "apiclus1.csv", weights = "pw", psu = "dnum", fpc = "fpc"),
    des = svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d),
    call = "svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d)"),
  apiclus1_jk1 = list(flags = list(data = "apiclus1.csv", weights = "pw", psu = "dnum", rep_type = "jk1"),
    des = as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, data = apiclus1_d), type = "JK1"),
    call = "as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, data = apiclus1_d), type = \"JK1\")")
)

families <- list(gaussian = gaussian(), binomial = quasibinomial(), poisson = quasipoisson())
models <- list(
  list(designs = c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot"), formula = "hours ~ sex + age + sex:age", family = "gaussian"),
  list(designs = c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot"), formula = "volunteer ~ sex * age + educ", family = "binomial"),
  list(designs = c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot"), formula = "events ~ urban + age + educ", family = "poisson"),
  list(designs = c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot"), formula = "volunteer ~ age + educ + urban", family = "binomial", where = c("sex", "F")),
  list(designs = c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot"), formula = "hours ~ age + sex:educ", family = "gaussian"),
  list(designs = c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot"), formula = "events ~ sex + age", family = "poisson", where = c("urban", "rural")),
  list(designs = c("persons_fpc", "persons_jkn"), formula = "hours ~ region + sex", family = "gaussian", where = c("age", "15-29")),
  list(designs = c("apistrat_fpc", "apiclus1_fpc", "apiclus1_jk1"), formula = "api00 ~ stype + meals + stype:meals", family = "gaussian"),
  list(designs = c("apistrat_fpc", "apiclus1_fpc", "apiclus1_jk1"), formula = "schwide ~ stype + meals", family = "binomial"),
  list(designs = c("apistrat_fpc", "apiclus1_fpc", "apiclus1_jk1"), formula = "enroll ~ stype + meals", family = "poisson"),
  list(designs = c("apistrat_fpc", "apiclus1_fpc", "apiclus1_jk1"), formula = "api00 ~ meals", family = "gaussian", where = c("stype", "E")),
  list(designs = c("apistrat_fpc", "apiclus1_fpc", "apiclus1_jk1"), formula = "schwide ~ meals", family = "binomial", where = c("stype", "E"))
)

cases <- list()
for (model in models) {
  for (dname in model$designs) {
    d <- designs[[dname]]
    f <- as.formula(model$formula)
    if (is.null(model$where)) {
      fit <- svyglm(f, design = d$des, family = families[[model$family]])
      r_call <- sprintf("svyglm(%s, design, family = %s)", model$formula, model$family)
    } else {
      # The subset as an expression of the design's variables: svyglm.svyrep.design passes subset on to glm() again,
      # where a logical vector of the whole sample would be recycled over the subset's rows.
      r_call <- sprintf("svyglm(%s, design, family = %s, subset = %s == \"%s\")", model$formula, model$family, model$where[1], model$where[2])
      fit <- eval(parse(text = sprintf("svyglm(f, design = d$des, family = families[[model$family]], subset = %s == \"%s\")", model$where[1], model$where[2])))
    }
    tab <- summary(fit)$coefficients
    id <- paste(dname, model$family, gsub("[^A-Za-z0-9]+", "_", model$formula), if (is.null(model$where)) "" else paste0("where_", model$where[2]), sep = "-")
    cases[[length(cases) + 1]] <- list(
      id = id, design = dname, design_call = d$call, r_call = r_call, flags = d$flags,
      formula = model$formula, family = model$family,
      where = if (is.null(model$where)) NULL else paste0(model$where[1], "=", model$where[2]),
      df = num(fit$df.residual), design_df = num(degf(fit$survey.design)), rows = nrow(model.matrix(fit)),
      terms = I(rownames(tab)), estimate = I(num(tab[, 1])), se = I(num(tab[, 2])), t = I(num(tab[, 3])), p = I(num(tab[, 4])))
  }
}
golden <- list(r_version = R.version.string, survey_version = as.character(packageVersion("survey")), cases = cases)
writeLines(toJSON(golden, auto_unbox = TRUE, pretty = TRUE, null = "null"), file.path(out_dir, "golden-model.json"))
cat(length(cases), "cases,", sum(sapply(cases, function(c) length(c$terms))), "coefficients\n")

# ---------------------------------------------------------------- calibration (contrib estimate --calibrate)
# Population margins by sex, age group and region (a population about 8 % larger than the weighted sample, with other
# shares), written as the margins file contrib reads (variable,level,total); R calibrates with calibrate(design,
# ~sex + age + region, population = c(N, non-first level totals), calfun, bounds, trim) and estimates after it.
N <- round(sum(persons$pw) * 1.08)
share <- function(var, tilt) {
  lv <- sort(unique(persons[[var]]))
  s <- tapply(persons$pw, persons[[var]], sum)[lv] * tilt
  tot <- round(N * s / sum(s))
  tot[length(tot)] <- N - sum(tot[-length(tot)])
  data.frame(variable = var, level = lv, total = as.numeric(tot), stringsAsFactors = FALSE)
}
margins <- rbind(share("sex", c(1.05, 0.95)), share("age", c(0.9, 1.0, 1.15)), share("region", c(1.1, 0.95, 1, 1.05, 0.9)))
write_data(margins, "margins.csv")
population <- c(`(Intercept)` = N,
  setNames(margins$total[margins$variable == "sex"][-1], paste0("sex", margins$level[margins$variable == "sex"][-1])),
  setNames(margins$total[margins$variable == "age"][-1], paste0("age", margins$level[margins$variable == "age"][-1])),
  setNames(margins$total[margins$variable == "region"][-1], paste0("region", margins$level[margins$variable == "region"][-1])))

calibrations <- list(
  list(id = "linear", calfun = "linear", bounds = NULL, trim = NULL),
  list(id = "linear_bounds", calfun = "linear", bounds = c(0.8, 1.36), trim = NULL),
  list(id = "raking", calfun = "raking", bounds = NULL, trim = NULL),
  list(id = "raking_bounds", calfun = "raking", bounds = c(0.82, 1.38), trim = NULL),
  list(id = "logit_bounds", calfun = "logit", bounds = c(0.75, 1.5), trim = NULL),
  list(id = "raking_trim", calfun = "raking", bounds = NULL, trim = c(0.85, 1.3))
)
est_cases <- list()
for (dname in c("persons_fpc", "persons_wr", "persons_jkn", "persons_boot")) {
  d <- designs[[dname]]
  for (cal in calibrations) {
    args <- list(d$des, ~sex + age + region, population = population, calfun = cal$calfun)
    if (!is.null(cal$bounds)) args$bounds <- cal$bounds
    if (!is.null(cal$trim)) args$trim <- cal$trim
    if (inherits(d$des, "svyrep.design")) args$compress <- FALSE  # survey 4.1-1's default compress = NA fails for uncompressed weights
    cdes <- suppressWarnings(suppressMessages(do.call(calibrate, args)))  # replicate non-convergence only warns in R
    g <- if (inherits(cdes, "svyrep.design")) cdes$pweights / d$des$pweights else weights(cdes) / weights(d$des)
    est <- list(
      list(statistic = "total", variable = "hours", by = NULL, r = svytotal(~hours, cdes, na.rm = TRUE)),
      list(statistic = "mean", variable = "volunteer", by = NULL, r = svymean(~volunteer, cdes)),
      list(statistic = "total", variable = "hours", by = "urban", r = svyby(~hours, ~urban, cdes, svytotal, na.rm = TRUE)),
      list(statistic = "mean", variable = "volunteer", by = "urban", r = svyby(~volunteer, ~urban, cdes, svymean)))
    for (e in est) {
      est_cases[[length(est_cases) + 1]] <- list(
        id = paste(dname, cal$id, e$statistic, e$variable, if (is.null(e$by)) "all" else e$by, sep = "-"),
        design = dname, flags = d$flags, calfun = cal$calfun,
        bounds = if (is.null(cal$bounds)) NULL else paste(cal$bounds, collapse = ","),
        trim = if (is.null(cal$trim)) NULL else paste(cal$trim, collapse = ","),
        statistic = e$statistic, variable = e$variable, by = e$by,
        domains = if (is.null(e$by)) I("") else I(as.character(e$r[[e$by]])),
        estimate = I(num(as.vector(coef(e$r)))), se = I(num(as.vector(SE(e$r)))),
        g_range = I(num(range(g))))
    }
  }
}
writeLines(toJSON(list(r_version = R.version.string, survey_version = as.character(packageVersion("survey")), margins = "margins.csv",
  r_population = as.list(num(population)), cases = est_cases), auto_unbox = TRUE, pretty = TRUE, null = "null"),
  file.path(out_dir, "golden-calibration.json"))
cat(length(est_cases), "calibration cases\n")
