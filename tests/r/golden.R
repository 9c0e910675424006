# Golden values for ContributionIndex.Estimation, computed with R survey 4.1-1 (Debian 12: r-base-core 4.2.2, r-cran-survey 4.1-1).
#
#   cd tests/r && Rscript golden.R
#
# Writes into ../ContributionIndex.Tests/TestData/estimation/:
#   *.csv              the sample data (numbers with 17 significant digits, empty = missing)
#   *_rep.csv          replicate analysis weights exported from R (bootstrap, BRR, Fay, given JKn/other)
#   golden.json        one entry per case: the design, the R call, and R's estimate, SE, deff and t interval per domain
# Every number is written with sprintf("%.17g") so that C# reads back R's double exactly.
# Domain estimates are computed as R's svyby does: the estimator applied to subset(design, domain) (design kept whole).
# Intervals use confint(est, df = degf(design)) with the WHOLE design's df, for quantiles svyquantile(..., df = degf(design)).

suppressMessages(library(survey))
library(jsonlite)
stopifnot(packageVersion("survey") == "4.1.1")
options(survey.lonely.psu = "fail", survey.replicates.mse = FALSE)

out_dir <- "../ContributionIndex.Tests/TestData/estimation"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)


source("golden-common.R")  # num, write_data

write_repweights <- function(des, file) {
  w <- as.matrix(weights(des, "analysis"))
  colnames(w) <- paste0("rep", seq_len(ncol(w)))
  write_data(as.data.frame(w), file)
}

# ---------------------------------------------------------------- data
data(api)
apistrat_d <- apistrat[, c("stype", "pw", "fpc", "api00", "api99", "enroll", "awards", "sch.wide", "meals", "acs.k3")]
apistrat_d$stype <- as.character(apistrat_d$stype)
apistrat_d$awards <- as.character(apistrat_d$awards)
apistrat_d$sch.wide <- as.character(apistrat_d$sch.wide)
names(apistrat_d)[names(apistrat_d) == "sch.wide"] <- "schwide"
names(apistrat_d)[names(apistrat_d) == "acs.k3"] <- "acsk3"
write_data(apistrat_d, "apistrat.csv")

apiclus1_d <- apiclus1[, c("dnum", "stype", "pw", "fpc", "api00", "api99", "enroll", "awards", "meals", "sch.wide")]
names(apiclus1_d)[names(apiclus1_d) == "sch.wide"] <- "schwide"
apiclus1_d$schwide <- as.character(apiclus1_d$schwide)
apiclus1_d$stype <- as.character(apiclus1_d$stype)
apiclus1_d$awards <- as.character(apiclus1_d$awards)
write_data(apiclus1_d, "apiclus1.csv")

apiclus2_d <- apiclus2[, c("dnum", "snum", "stype", "pw", "fpc1", "api00", "enroll", "awards")]
apiclus2_d$fpc1 <- as.numeric(apiclus2_d$fpc1)
apiclus2_d$stype <- as.character(apiclus2_d$stype)
apiclus2_d$awards <- as.character(apiclus2_d$awards)
write_data(apiclus2_d, "apiclus2.csv")

data(scd)
scd_d <- scd
scd_d$pw <- 1
write_data(scd_d, "scd.csv")

# Synthetic volunteer module (ILO 2011 style): 4 regions x 5-8 PSUs x 6-14 persons; seed fixed here.
set.seed(20221125)
make_volunteers <- function(regions, psus, popsizes) {
  rows <- list()
  for (h in seq_along(regions)) {
    for (j in seq_len(psus[h])) {
      m <- sample(6:14, 1)
      base <- popsizes[h] * 40 / psus[h]
      age <- sample(c("15-29", "30-54", "55+"), m, replace = TRUE)
      vol <- rbinom(m, 1, ifelse(age == "15-29", 0.35, ifelse(age == "30-54", 0.25, 0.3)))
      hours <- ifelse(vol == 1, round(rlnorm(m, log(6), 0.8), 1), 0)
      wage <- round(runif(m, 300, 900), 2)
      rows[[length(rows) + 1]] <- data.frame(
        region = regions[h], psu = paste0("c", j), popsize = popsizes[h],
        pw = round(base * runif(m, 0.8, 1.25), 2),
        sex = sample(c("F", "M"), m, replace = TRUE), age = age,
        volunteer = vol, hours = hours, value = round(hours * wage, 2), stringsAsFactors = FALSE)
    }
  }
  d <- do.call(rbind, rows)
  d$frac <- ave(rep(1, nrow(d)), d$region, FUN = function(z) 1) # placeholder, replaced below
  npsu <- tapply(d$psu, d$region, function(p) length(unique(p)))
  d$frac <- as.numeric(npsu[d$region]) / d$popsize
  d
}
vol <- make_volunteers(c("North", "South", "East", "West"), c(8, 6, 7, 5), c(80, 60, 70, 50))
vol$hours[c(5, 77, 150)] <- NA   # item non-response: dropped by na.rm = TRUE
write_data(vol, "volunteer.csv")
vol_lonely <- rbind(vol, make_volunteers("Capital", 1, 10))
write_data(vol_lonely, "volunteer_lonely.csv")

# ---------------------------------------------------------------- designs
designs <- list()
design_specs <- list()
add_design <- function(name, spec, expr) {
  des <- eval(parse(text = expr))
  designs[[name]] <<- des
  spec$r_call <- expr
  spec$df <- num(degf(des))
  if (inherits(des, "svyrep.design")) {
    spec$r_scale <- num(des$scale)
    spec$r_rscales <- I(num(des$rscales))
    spec$r_mse <- des$mse
  }
  design_specs[[name]] <<- spec
}
taylor <- function(data, weights, strata = NULL, psu = NULL, fpc = NULL, lonely = "fail")
  list(kind = "taylor", data = data, weights = weights, strata = strata, psu = psu, fpc = fpc, lonely = lonely)

add_design("strat", taylor("apistrat.csv", "pw", strata = "stype", fpc = "fpc"),
  'svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat_d)')
add_design("strat_nofpc", taylor("apistrat.csv", "pw", strata = "stype"),
  'svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = apistrat_d)')
add_design("clus1", taylor("apiclus1.csv", "pw", psu = "dnum", fpc = "fpc"),
  'svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d)')
add_design("clus1_nofpc", taylor("apiclus1.csv", "pw", psu = "dnum"),
  'svydesign(ids = ~dnum, weights = ~pw, data = apiclus1_d)')
add_design("clus2", taylor("apiclus2.csv", "pw", psu = "dnum", fpc = "fpc1"),
  'svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc1, data = apiclus2_d)')
add_design("vol", taylor("volunteer.csv", "pw", strata = "region", psu = "psu", fpc = "popsize"),
  'svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~popsize, nest = TRUE, data = vol)')
add_design("vol_frac", taylor("volunteer.csv", "pw", strata = "region", psu = "psu", fpc = "frac"),
  'svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~frac, nest = TRUE, data = vol)')
add_design("vol_wr", taylor("volunteer.csv", "pw", strata = "region", psu = "psu"),
  'svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol)')
for (policy in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = policy)
  add_design(paste0("lonely_", policy), taylor("volunteer_lonely.csv", "pw", strata = "region", psu = "psu", lonely = policy),
    'svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol_lonely)')
  add_design(paste0("lonely_jkn_", policy),
    list(kind = "convert", method = "jkn", base = taylor("volunteer_lonely.csv", "pw", strata = "region", psu = "psu", lonely = policy)),
    'as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol_lonely), type = "JKn")')
  options(survey.lonely.psu = "fail")
}

# Conversions done identically in C# (deterministic): JK1, JKn, with and without fpc, mse on and off.
add_design("clus1_jk1", list(kind = "convert", method = "jk1", base = taylor("apiclus1.csv", "pw", psu = "dnum", fpc = "fpc")),
  'as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), type = "JK1")')
add_design("clus1_jk1_mse", list(kind = "convert", method = "jk1", mse = TRUE, base = taylor("apiclus1.csv", "pw", psu = "dnum")),
  'as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, data = apiclus1_d), type = "JK1", mse = TRUE)')
add_design("strat_jkn", list(kind = "convert", method = "jkn", base = taylor("apistrat.csv", "pw", strata = "stype", fpc = "fpc")),
  'as.svrepdesign(svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat_d), type = "JKn")')
add_design("vol_jkn", list(kind = "convert", method = "jkn", base = taylor("volunteer.csv", "pw", strata = "region", psu = "psu")),
  'as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol), type = "JKn")')
add_design("vol_jkn_mse", list(kind = "convert", method = "jkn", mse = TRUE, base = taylor("volunteer.csv", "pw", strata = "region", psu = "psu", fpc = "popsize")),
  'as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~popsize, nest = TRUE, data = vol), type = "JKn", mse = TRUE)')

# Replicate weights R generated at random (bootstrap) or given (BRR, Fay, JKn, other): exported, read back by C#.
set.seed(424242)
boot_des <- as.svrepdesign(designs$vol_wr, type = "bootstrap", replicates = 60)
write_repweights(boot_des, "vol_boot_rep.csv")
add_design("vol_boot", list(kind = "replicate", data = "volunteer.csv", weights = "pw", method = "bootstrap", repweights = "vol_boot_rep.csv",
    scale = num(boot_des$scale), mse = FALSE),
  'svrepdesign(data = vol, weights = ~pw, repweights = weights(boot_des, "analysis"), type = "bootstrap", scale = boot_des$scale, combined.weights = TRUE)  # boot_des <- as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol), type = "bootstrap", replicates = 60) after set.seed(424242)')
set.seed(99)
boot_strat <- as.svrepdesign(designs$strat_nofpc, type = "bootstrap", replicates = 40)
write_repweights(boot_strat, "strat_boot_rep.csv")
add_design("strat_boot_mse", list(kind = "replicate", data = "apistrat.csv", weights = "pw", method = "bootstrap", repweights = "strat_boot_rep.csv",
    scale = num(boot_strat$scale), mse = TRUE),
  'svrepdesign(data = apistrat_d, weights = ~pw, repweights = weights(boot_strat, "analysis"), type = "bootstrap", scale = boot_strat$scale, combined.weights = TRUE, mse = TRUE)  # boot_strat <- as.svrepdesign(svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = apistrat_d), type = "bootstrap", replicates = 40) after set.seed(99)')

brr_factors <- 2 * cbind(c(1, 0, 1, 0, 1, 0), c(1, 0, 0, 1, 0, 1), c(0, 1, 1, 0, 0, 1), c(0, 1, 0, 1, 1, 0))
scd_brr_w <- brr_factors * 1
colnames(scd_brr_w) <- paste0("rep", 1:4)
write_data(as.data.frame(scd_brr_w), "scd_brr_rep.csv")
add_design("scd_brr", list(kind = "replicate", data = "scd.csv", weights = "pw", method = "brr", repweights = "scd_brr_rep.csv", mse = FALSE),
  'svrepdesign(data = scd_d, weights = ~pw, repweights = scd_brr_w, type = "BRR", combined.weights = TRUE)')
scd_fay_w <- ifelse(brr_factors == 2, 1.7, 0.3)
colnames(scd_fay_w) <- paste0("rep", 1:4)
write_data(as.data.frame(scd_fay_w), "scd_fay_rep.csv")
add_design("scd_fay", list(kind = "replicate", data = "scd.csv", weights = "pw", method = "fay", rho = num(0.3), repweights = "scd_fay_rep.csv", mse = FALSE),
  'svrepdesign(data = scd_d, weights = ~pw, repweights = scd_fay_w, type = "Fay", rho = 0.3, combined.weights = TRUE)')
add_design("scd_fay_mse", list(kind = "replicate", data = "scd.csv", weights = "pw", method = "fay", rho = num(0.3), repweights = "scd_fay_rep.csv", mse = TRUE),
  'svrepdesign(data = scd_d, weights = ~pw, repweights = scd_fay_w, type = "Fay", rho = 0.3, combined.weights = TRUE, mse = TRUE)')

strat_jkn_des <- designs$strat_jkn
write_repweights(strat_jkn_des, "strat_jkn_rep.csv")
jkn_rscales <- strat_jkn_des$rscales
add_design("strat_jkn_given", list(kind = "replicate", data = "apistrat.csv", weights = "pw", method = "jkn", repweights = "strat_jkn_rep.csv",
    rscales = I(num(jkn_rscales)), mse = FALSE),
  'svrepdesign(data = apistrat_d, weights = ~pw, repweights = weights(as.svrepdesign(svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat_d), type = "JKn"), "analysis"), type = "JKn", rscales = jkn_rscales, combined.weights = TRUE)')
clus1_jk1_des <- designs$clus1_jk1
write_repweights(clus1_jk1_des, "clus1_jk1_rep.csv")
add_design("clus1_jk1_given", list(kind = "replicate", data = "apiclus1.csv", weights = "pw", method = "jk1", repweights = "clus1_jk1_rep.csv", mse = FALSE),
  'svrepdesign(data = apiclus1_d, weights = ~pw, repweights = weights(as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), type = "JK1"), "analysis"), type = "JK1", combined.weights = TRUE)  # scale guessed (R-1)/R')
set.seed(7)
other_rscales <- round(runif(15, 0.5, 1.5), 3)
add_design("clus1_other", list(kind = "replicate", data = "apiclus1.csv", weights = "pw", method = "other", repweights = "clus1_jk1_rep.csv",
    scale = num(0.8), rscales = I(num(other_rscales)), mse = TRUE),
  'svrepdesign(data = apiclus1_d, weights = ~pw, repweights = weights(clus1_jk1_des, "analysis"), type = "other", scale = 0.8, rscales = other_rscales, combined.weights = TRUE, mse = TRUE)')

# Calibration (lowest priority of the issue): postStratify, linear calibrate (GREG) and raking (calibrate(calfun = "raking")),
# on Taylor and replicate designs. Population figures of the api data come from apipop: stype E 4421, H 755, M 1018;
# sch.wide No 1072, Yes 5122; sum(api99) 3914069; N 6194. Volunteer population counts are invented for the test.
stype_pop <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
add_calibrated <- function(name, base_name, calibration, expr) {
  base <- design_specs[[base_name]]
  base$r_call <- NULL; base$df <- NULL; base$r_scale <- NULL; base$r_rscales <- NULL; base$r_mse <- NULL
  add_design(name, list(kind = "calibrated", base = base, calibration = calibration), expr)
}
ps_stype <- list(type = "poststratify", cell = "stype", population = list(E = num(4421), H = num(755), M = num(1018)))
lin_stype_api99 <- list(type = "linear", terms = list(list(factor = "stype"), list(numeric = "api99")),
  totals = I(num(c(6194, 755, 1018, 3914069))))
rake_stype_schwide <- list(type = "raking", terms = list(list(factor = "stype"), list(factor = "schwide")),
  totals = I(num(c(6194, 755, 1018, 5122))))
add_calibrated("clus1_ps", "clus1", ps_stype,
  'postStratify(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), ~stype, data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)))')
add_calibrated("clus1_cal", "clus1", lin_stype_api99,
  'calibrate(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), ~stype + api99, c(6194, 755, 1018, 3914069))')
add_calibrated("clus1_rake", "clus1_nofpc", rake_stype_schwide,
  'calibrate(svydesign(ids = ~dnum, weights = ~pw, data = apiclus1_d), ~stype + schwide, c(6194, 755, 1018, 5122), calfun = "raking")')
add_calibrated("strat_cal", "strat_nofpc", list(type = "linear", terms = list(list(factor = "schwide"), list(numeric = "api99")),
    totals = I(num(c(6194, 5122, 3914069)))),
  'calibrate(svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = apistrat_d), ~schwide + api99, c(6194, 5122, 3914069))')
add_calibrated("clus1_jk1_ps", "clus1_jk1", ps_stype,
  'postStratify(as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), type = "JK1"), ~stype, data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)))')
add_calibrated("clus1_jk1_cal", "clus1_jk1", lin_stype_api99,
  'calibrate(as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), type = "JK1"), ~stype + api99, c(6194, 755, 1018, 3914069))')
add_calibrated("clus1_jk1_rake", "clus1_jk1", rake_stype_schwide,
  'calibrate(as.svrepdesign(svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d), type = "JK1"), ~stype + schwide, c(6194, 755, 1018, 5122), calfun = "raking")')
add_calibrated("vol_ps", "vol", list(type = "poststratify", cell = "sex", population = list(F = num(16800), M = num(16100))),
  'postStratify(svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~popsize, nest = TRUE, data = vol), ~sex, data.frame(sex = c("F", "M"), Freq = c(16800, 16100)))')
add_calibrated("vol_rake", "vol_wr", list(type = "raking", terms = list(list(factor = "sex"), list(factor = "age")),
    totals = I(num(c(32900, 16100, 12500, 9300)))),
  'calibrate(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol), ~sex + age, c(32900, 16100, 12500, 9300), calfun = "raking")')
add_calibrated("vol_jkn_cal", "vol_jkn", list(type = "linear", terms = list(list(factor = "age"), list(numeric = "volunteer")),
    totals = I(num(c(32900, 12500, 9300, 9800)))),
  'calibrate(as.svrepdesign(svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol), type = "JKn"), ~age + volunteer, c(32900, 12500, 9300, 9800))')

# ---------------------------------------------------------------- estimates
cases <- list()
with_policy <- function(des_name, compute) {
  spec <- design_specs[[des_name]]
  lonely <- if (!is.null(spec$lonely)) spec$lonely else if (!is.null(spec$base)) spec$base$lonely else "fail"
  old <- options(survey.lonely.psu = lonely)
  on.exit(options(old))
  compute()
}

domain_masks <- function(data, by, where) {
  keep <- if (is.null(where)) rep(TRUE, nrow(data)) else as.character(data[[where$column]]) == where$value
  if (is.null(by)) return(list(list(labels = character(0), mask = keep)))
  keys <- unique(data[keep, by, drop = FALSE])
  keys <- keys[do.call(order, unname(as.list(keys))), , drop = FALSE]
  lapply(seq_len(nrow(keys)), function(k) {
    m <- keep
    for (b in by) m <- m & !is.na(data[[b]]) & as.character(data[[b]]) == as.character(keys[k, b])
    list(labels = vapply(by, function(b) as.character(keys[k, b]), ""), mask = m)
  })
}

design_data <- function(des) if (inherits(des, "svyrep.design")) des$variables else des$variables

add_case <- function(id, des_name, statistic, variable, by = NULL, where = NULL, denominator = NULL, p = NULL, category = NULL) {
  des <- designs[[des_name]]
  data <- design_data(des)
  df <- degf(des)
  results <- list()
  for (dom in domain_masks(data, by, where)) {
    sub <- if (all(dom$mask)) des else subset(des, dom$mask)
    r <- with_policy(des_name, function() switch(statistic,
      total = { e <- svytotal(as.formula(paste0("~", variable)), sub, deff = TRUE, na.rm = TRUE)
                c(coef(e)[1], SE(e)[1], deff(e)[1], confint(e, df = df)[1, ]) },
      mean = { e <- svymean(as.formula(paste0("~", variable)), sub, deff = TRUE, na.rm = TRUE)
               c(coef(e)[1], SE(e)[1], deff(e)[1], confint(e, df = df)[1, ]) },
      proportion = { e <- svymean(as.formula(sprintf('~I(as.numeric(%s == "%s"))', variable, category)), sub, deff = TRUE, na.rm = TRUE)
                     c(coef(e)[1], SE(e)[1], deff(e)[1], confint(e, df = df)[1, ]) },
      ratio = if (inherits(sub, "svyrep.design")) {
                # svyratio.svyrep.design(deff = TRUE) fails in survey 4.1-1 ("incorrect number of dimensions" at rval[i, j]);
                # its intended value deff(svytotal(num - R * den, design, deff = TRUE)) is computed directly.
                e <- svyratio(as.formula(paste0("~", variable)), as.formula(paste0("~", denominator)), sub, na.rm = TRUE)
                resid <- as.formula(sprintf("~I(%s - %.17g * %s)", variable, coef(e)[1], denominator))
                c(coef(e)[1], SE(e)[1], deff(svytotal(resid, sub, deff = TRUE, na.rm = TRUE))[1], confint(e, df = df)[1, ])
              } else {
                e <- svyratio(as.formula(paste0("~", variable)), as.formula(paste0("~", denominator)), sub, deff = TRUE, na.rm = TRUE)
                c(coef(e)[1], SE(e)[1], attr(e, "deff")[1], confint(e, df = df)[1, ]) },
      quantile = { e <- svyquantile(as.formula(paste0("~", variable)), sub, quantiles = p, ci = TRUE, df = df, na.rm = TRUE)[[1]]
                   c(e[1, 1], e[1, 4], NA, e[1, 2], e[1, 3]) }))
    results[[length(results) + 1]] <- list(domain = I(dom$labels), estimate = num(r[1]), se = num(r[2]), deff = num(r[3]),
      ci_low = num(r[4]), ci_high = num(r[5]))
  }
  est_call <- switch(statistic,
    total = sprintf("svytotal(~%s, sub, deff = TRUE, na.rm = TRUE)", variable),
    mean = sprintf("svymean(~%s, sub, deff = TRUE, na.rm = TRUE)", variable),
    proportion = sprintf('svymean(~I(as.numeric(%s == "%s")), sub, deff = TRUE, na.rm = TRUE)', variable, category),
    ratio = sprintf("svyratio(~%s, ~%s, sub, deff = TRUE, na.rm = TRUE)", variable, denominator),
    quantile = sprintf("svyquantile(~%s, sub, quantiles = %s, ci = TRUE, df = degf(des), na.rm = TRUE)", variable, p))
  r_call <- sprintf("des <- %s; sub <- %s; est <- %s; confint(est, df = degf(des))", design_specs[[des_name]]$r_call,
    if (is.null(by) && is.null(where)) "des" else sprintf("subset(des, <domain>) for each domain of by = %s, where = %s",
      paste(by, collapse = "+"), if (is.null(where)) "none" else paste0(where$column, "==", where$value)), est_call)
  cases[[length(cases) + 1]] <<- list(id = id, design = des_name, statistic = statistic, variable = variable,
    denominator = denominator, category = category, p = if (is.null(p)) NULL else num(p), by = if (is.null(by)) NULL else I(by), where = where,
    df = num(df), r_call = r_call, results = results)
}

linear_set <- function(prefix, des_name, y, x, by, factor_var, level) {
  add_case(paste0(prefix, "_total"), des_name, "total", y)
  add_case(paste0(prefix, "_mean"), des_name, "mean", y)
  add_case(paste0(prefix, "_ratio"), des_name, "ratio", y, denominator = x)
  add_case(paste0(prefix, "_proportion"), des_name, "proportion", factor_var, category = level)
  add_case(paste0(prefix, "_total_by"), des_name, "total", y, by = by)
  add_case(paste0(prefix, "_mean_by"), des_name, "mean", y, by = by)
  add_case(paste0(prefix, "_ratio_by"), des_name, "ratio", y, denominator = x, by = by)
  add_case(paste0(prefix, "_median"), des_name, "quantile", y, p = 0.5)
  add_case(paste0(prefix, "_q25_by"), des_name, "quantile", y, p = 0.25, by = by)
}

linear_set("strat", "strat", "api00", "api99", "awards", "schwide", "Yes")
linear_set("strat_nofpc", "strat_nofpc", "enroll", "api99", "schwide", "awards", "No")
add_case("strat_mean_na", "strat", "mean", "acsk3", by = "awards")
add_case("strat_total_na", "strat", "total", "acsk3")
add_case("strat_mean_by2_where", "strat", "mean", "api00", by = c("awards", "schwide"), where = list(column = "stype", value = "E"))
linear_set("clus1", "clus1", "api00", "enroll", "stype", "awards", "Yes")
linear_set("clus1_nofpc", "clus1_nofpc", "enroll", "api00", "awards", "stype", "E")
linear_set("clus2", "clus2", "enroll", "api00", "stype", "awards", "No")
linear_set("vol", "vol", "hours", "volunteer", "sex", "volunteer", "1")
add_case("vol_value_by2", "vol", "total", "value", by = c("sex", "age"))
add_case("vol_rate_where", "vol", "mean", "volunteer", by = "age", where = list(column = "sex", value = "F"))
add_case("vol_q90", "vol", "quantile", "value", p = 0.9)
linear_set("vol_frac", "vol_frac", "value", "hours", "age", "sex", "F")
linear_set("vol_wr", "vol_wr", "hours", "volunteer", "age", "age", "55+")
for (policy in c("remove", "certainty", "adjust", "average")) {
  linear_set(paste0("lonely_", policy), paste0("lonely_", policy), "hours", "volunteer", "sex", "volunteer", "1")
  add_case(paste0("lonely_", policy, "_by_region"), paste0("lonely_", policy), "total", "value", by = "region")
  linear_set(paste0("lonely_jkn_", policy), paste0("lonely_jkn_", policy), "hours", "volunteer", "sex", "volunteer", "1")
}
linear_set("clus1_jk1", "clus1_jk1", "api00", "enroll", "stype", "awards", "Yes")
linear_set("clus1_jk1_mse", "clus1_jk1_mse", "enroll", "api00", "awards", "stype", "H")
linear_set("strat_jkn", "strat_jkn", "api00", "api99", "awards", "schwide", "Yes")
linear_set("vol_jkn", "vol_jkn", "value", "hours", "sex", "age", "15-29")
linear_set("vol_jkn_mse", "vol_jkn_mse", "hours", "volunteer", "age", "volunteer", "1")
linear_set("vol_boot", "vol_boot", "hours", "volunteer", "sex", "volunteer", "1")
linear_set("strat_boot_mse", "strat_boot_mse", "api00", "api99", "stype", "awards", "Yes")
add_case("scd_brr_total", "scd_brr", "total", "arrests")
add_case("scd_brr_ratio", "scd_brr", "ratio", "alive", denominator = "arrests")
add_case("scd_brr_mean_by", "scd_brr", "mean", "alive", by = "ESA")
add_case("scd_fay_total", "scd_fay", "total", "arrests")
add_case("scd_fay_ratio", "scd_fay", "ratio", "alive", denominator = "arrests")
add_case("scd_fay_mse_mean", "scd_fay_mse", "mean", "alive")
add_case("scd_fay_mse_total_by", "scd_fay_mse", "total", "alive", by = "ambulance")
linear_set("strat_jkn_given", "strat_jkn_given", "api00", "api99", "awards", "schwide", "Yes")
linear_set("clus1_jk1_given", "clus1_jk1_given", "api00", "enroll", "stype", "awards", "Yes")
linear_set("clus1_other", "clus1_other", "api00", "enroll", "stype", "awards", "Yes")

linear_set("clus1_ps", "clus1_ps", "api00", "enroll", "awards", "stype", "E")
linear_set("clus1_cal", "clus1_cal", "api00", "enroll", "stype", "awards", "Yes")
linear_set("clus1_rake", "clus1_rake", "enroll", "api00", "awards", "schwide", "Yes")
linear_set("strat_cal", "strat_cal", "api00", "api99", "stype", "awards", "No")
linear_set("clus1_jk1_ps", "clus1_jk1_ps", "api00", "enroll", "awards", "stype", "H")
linear_set("clus1_jk1_cal", "clus1_jk1_cal", "enroll", "api00", "stype", "awards", "Yes")
linear_set("clus1_jk1_rake", "clus1_jk1_rake", "api00", "enroll", "stype", "awards", "Yes")
linear_set("vol_ps", "vol_ps", "hours", "volunteer", "age", "volunteer", "1")
linear_set("vol_rake", "vol_rake", "value", "hours", "sex", "volunteer", "1")
linear_set("vol_jkn_cal", "vol_jkn_cal", "hours", "volunteer", "sex", "sex", "F")

# Lonely PSU with the default "fail": R's error names the stratum.
fail_message <- tryCatch({
  svytotal(~hours, svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol_lonely), na.rm = TRUE); ""
}, error = function(e) conditionMessage(e))
errors <- list(list(id = "lonely_fail", data = "volunteer_lonely.csv", design = taylor("volunteer_lonely.csv", "pw", strata = "region", psu = "psu", lonely = "fail"),
  r_call = 'options(survey.lonely.psu = "fail"); svytotal(~hours, svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol_lonely), na.rm = TRUE)',
  r_message = fail_message, stratum = "Capital"))

golden <- list(generator = "tests/r/golden.R", r_version = R.version.string, survey_version = as.character(packageVersion("survey")),
  designs = design_specs, cases = cases, errors = errors)
writeLines(toJSON(golden, auto_unbox = TRUE, null = "null", pretty = TRUE), file.path(out_dir, "golden.json"))
cat(length(cases), "cases,", sum(sapply(cases, function(c) length(c$results))), "estimates written\n")

# svyby equals the subset loop used above (design kept whole; R's own tests/domain.R makes the same point).
by_taylor <- svyby(~api00, ~awards, designs$strat, svymean, deff = TRUE)
loop_taylor <- sapply(c("No", "Yes"), function(l) SE(svymean(~api00, subset(designs$strat, awards == l))))
stopifnot(isTRUE(all.equal(as.vector(SE(by_taylor)), as.vector(loop_taylor), tolerance = 1e-12)))
by_rep <- svyby(~hours, ~sex, designs$vol_jkn, svytotal, na.rm = TRUE)
loop_rep <- sapply(c("F", "M"), function(l) SE(svytotal(~hours, subset(designs$vol_jkn, sex == l), na.rm = TRUE)))
stopifnot(isTRUE(all.equal(as.vector(SE(by_rep)), as.vector(loop_rep), tolerance = 1e-12)))
cat("svyby agrees with subset()\n")

# ---------------------------------------------------------------- study mode: the person-level table (volunteer-estimates.md)
# Person x activity rows of an ILO-style module, read by `contrib estimate volunteer_study.yaml`. R builds the
# person-level table itself with the 19th ICLS rules that these data exercise (activities for the own household are
# not volunteer work; a person with under one reference-period hour of volunteer work is not a volunteer), then
# estimates with svytotal/svymean/svyratio overall and by sex (svyby, design kept whole). Written to
# volunteer_study_golden.json; C# must agree to 1e-10 relative (VolunteerParityTests).
set.seed(20231125)
vs_rows <- list()
for (h in 1:4) for (j in 1:5) for (k in 1:6) {
  id <- sprintf("P%d%d%d", h, j, k)
  w <- round(runif(1, 50, 150) * h, 3)
  sex <- sample(c("1", "2"), 1)
  age <- sample(15:80, 1)
  if (runif(1) < 0.4) {
    n_act <- sample(1:2, 1)
    for (a in seq_len(n_act)) {
      hrs <- sample(c(0.5, 1, 2, 3.5, 6, 10, 14), 1)
      own <- as.integer(runif(1) < 0.15)
      vs_rows[[length(vs_rows) + 1]] <- data.frame(person = id, activity = letters[a], weight = w, stratum = paste0("S", h),
        psu = paste0("c", j), sex = sex, age = age, volunteered = "1", hours = hrs, own_household = own, stringsAsFactors = FALSE)
    }
  } else {
    vs_rows[[length(vs_rows) + 1]] <- data.frame(person = id, activity = NA, weight = w, stratum = paste0("S", h),
      psu = paste0("c", j), sex = sex, age = age, volunteered = "2", hours = NA, own_household = NA, stringsAsFactors = FALSE)
  }
}
vs <- do.call(rbind, vs_rows)
write_data(vs, "volunteer_study.csv")

annualisation <- 13; generalist_wage <- 10; min_hours <- 1
vs$work <- ifelse(vs$volunteered == "1" & !is.na(vs$hours) & vs$hours > 0 & vs$own_household == 0, vs$hours, 0)
persons <- unique(vs[, c("person", "weight", "stratum", "psu", "sex", "age")])
ref_hours <- tapply(vs$work, vs$person, sum)[persons$person]
persons$volunteer <- as.numeric(ref_hours >= min_hours)
persons$annual_hours <- as.numeric(ifelse(persons$volunteer == 1, ref_hours * annualisation, 0))
persons$value_generalist_lcu <- persons$annual_hours * generalist_wage
persons$sex <- ifelse(persons$sex == "2", "female", "male")
vs_des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = persons)

vs_case <- function(des, statistic, measure, est, by = NULL) {
  ci <- confint(est, df = degf(des))
  labels <- if (is.null(by)) "all" else as.character(est[[by]])
  list(statistic = statistic, measure = measure, domain = if (is.null(by)) "all" else by,
    results = lapply(seq_along(labels), function(i) list(domain_value = labels[i], estimate = num(coef(est)[i]), se = num(SE(est)[i]),
      ci_low = num(ci[i, 1]), ci_high = num(ci[i, 2]), df = num(degf(des)))))
}
vs_cases_for <- function(des) {
  out <- list()
  for (by in list(NULL, "sex")) {
    f_by <- if (is.null(by)) NULL else as.formula(paste0("~", by))
    run <- function(fun, formula, ...) if (is.null(by)) fun(formula, des, ...) else svyby(formula, f_by, des, fun, ...)
    out[[length(out) + 1]] <- vs_case(des, "total", "volunteers", run(svytotal, ~volunteer), by)
    rate_case <- vs_case(des, "mean", "volunteer_rate", run(svymean, ~volunteer), by)
    # Study mode gives volunteer rates R svyciprop's logit interval (issue #19), with the whole design's df as every interval here.
    rate_subsets <- if (is.null(by)) list(des) else lapply(rate_case$results, function(r) subset(des, sex == r$domain_value))
    for (i in seq_along(rate_subsets)) {
      ci <- attr(svyciprop(~volunteer, rate_subsets[[i]], method = "logit", df = degf(des)), "ci")
      rate_case$results[[i]]$ci_low <- num(ci[1]); rate_case$results[[i]]$ci_high <- num(ci[2])
    }
    out[[length(out) + 1]] <- rate_case
    out[[length(out) + 1]] <- vs_case(des, "total", "annual_hours", run(svytotal, ~annual_hours), by)
    out[[length(out) + 1]] <- vs_case(des, "total", "value_generalist_lcu", run(svytotal, ~value_generalist_lcu), by)
    ratio <- if (is.null(by)) svyratio(~annual_hours, ~volunteer, des) else svyby(~annual_hours, f_by, des, svyratio, denominator = ~volunteer)
    out[[length(out) + 1]] <- vs_case(des, "ratio", "hours_per_volunteer", ratio, by)
  }
  out
}
vs_cases <- vs_cases_for(vs_des)

# The same persons with declared JKn replicate weights (analysis weights of as.svrepdesign, copied to every activity
# row of the person): volunteer_study_rep.csv, estimated by svrepdesign(type = "JKn", rscales, combined weights).
vs_jkn <- as.svrepdesign(vs_des, type = "JKn")
vs_rw <- as.matrix(weights(vs_jkn, "analysis"))
colnames(vs_rw) <- paste0("rep", seq_len(ncol(vs_rw)))
vs_rep_rows <- cbind(vs[, setdiff(names(vs), "work")], vs_rw[match(vs$person, persons$person), , drop = FALSE])
write_data(vs_rep_rows, "volunteer_study_rep.csv")
vs_rep_des <- svrepdesign(data = persons, repweights = vs_rw, weights = ~weight, type = "JKn", rscales = vs_jkn$rscales,
  scale = vs_jkn$scale, combined.weights = TRUE)
vs_rep_cases <- vs_cases_for(vs_rep_des)
writeLines(toJSON(list(generator = "tests/r/golden.R", r_version = R.version.string, survey_version = as.character(packageVersion("survey")),
  data = "volunteer_study.csv", persons = nrow(persons), volunteers = sum(persons$volunteer), cases = vs_cases,
  replicate_data = "volunteer_study_rep.csv", rscales = sapply(vs_jkn$rscales, num), replicate_scale = num(vs_jkn$scale), replicate_cases = vs_rep_cases),
  auto_unbox = TRUE, null = "null", pretty = TRUE), file.path(out_dir, "volunteer_study_golden.json"))
cat("study mode:", nrow(persons), "persons,", sum(persons$volunteer), "volunteers written\n")
