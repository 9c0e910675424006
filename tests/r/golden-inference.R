# Golden values for the inference features of issue #19, computed with R survey 4.1-1 (r-base-core 4.2.2, r-cran-survey 4.1-1).
#
#   cd tests/r && Rscript golden-inference.R
#
# Reads the sample files golden.R wrote (../ContributionIndex.Tests/TestData/estimation/*.csv), writes the two-stage sample
# volunteer_2stage.csv, and writes inference-golden.json there: one entry per case with the design (a name of golden.json's
# designs, or a design of this file's own "designs" list), the R call, and R's numbers written with sprintf("%.17g").
# The C# side (InferenceParityTests) compares to 1e-9 relative (absolute below 1e-12).
#
# Cases:
#   ciprop      svyciprop(~I(as.numeric(v == "c")), subset(des, domain), method = m, df = degf(des)) for m in mean, logit,
#               xlogit, asin, beta: SE and interval per domain; the estimate is svymean's (see below).
#   deff        svymean / svytotal(..., deff = TRUE) per domain: deff (R's default without-replacement SRS) and deft = sqrt(deff).
#   compare     svyby(~y, ~by, des, svymean|svytotal|svyratio, covmat = TRUE) then svycontrast for every pair of levels of the
#               compared variable within each level of the other by variable: difference, SE, t, df = degf(des), p = 2 pt(-|t|, df).
#   ttest       svyttest(y ~ g, des): difference, SE, t, df, p.
#   chisq       svychisq(~a + b, des, statistic = "F"): F, ndf, ddf, p.
#   multistage  svydesign(ids = ~psu + ssu, strata = ~region, fpc = ~fpc1 + fpc2, weights = ~pw, nest = TRUE): totals, means,
#               proportions, ratios by domain, including certainty PSUs (fpc1 = number of sampled PSUs) and
#               options(survey.adjust.domain.lonely = TRUE) with lonely.psu "adjust" and "average".

source("golden-designs.R")  # options, sample files and the named designs
scd_d <- read("scd.csv")
designs$scd_brr <- svrepdesign(data = scd_d, weights = ~pw, repweights = rep_matrix("scd_brr_rep.csv"), type = "BRR", combined.weights = TRUE)
# golden.json's design names are reused; this check ties each rebuilt design to the df golden.R recorded.
for (n in names(designs)) stopifnot(degf(designs[[n]]) == as.numeric(golden$designs[[n]]$df))

domain_masks <- function(data, by) {
  if (is.null(by)) return(list(list(labels = character(0), mask = rep(TRUE, nrow(data)))))
  keys <- unique(data[, by, drop = FALSE])
  keys <- keys[do.call(order, unname(as.list(keys))), , drop = FALSE]
  lapply(seq_len(nrow(keys)), function(k) {
    m <- rep(TRUE, nrow(data))
    for (b in by) m <- m & !is.na(data[[b]]) & as.character(data[[b]]) == as.character(keys[k, b])
    list(labels = vapply(by, function(b) as.character(keys[k, b]), ""), mask = m)
  })
}

cases <- list()
add <- function(case) cases[[length(cases) + 1]] <<- case

# ---------------------------------------------------------------- ciprop and deff
ciprop_case <- function(des_name, variable, category, method, by = NULL) {
  des <- designs[[des_name]]
  df <- degf(des)
  results <- lapply(domain_masks(des$variables, by), function(dom) {
    sub <- if (all(dom$mask)) des else subset(des, dom$mask)
    f <- as.formula(sprintf('~I(as.numeric(%s == "%s"))', variable, category))
    e <- svyciprop(f, sub, method = method, df = df)
    ci <- attr(e, "ci")
    # The estimate is svymean's weighted proportion; for "logit" R prints expit(beta) of the glm fit instead, which differs
    # from it by glm's convergence tolerance (about 1e-8): kept as r_estimate for the record.
    list(domain = I(dom$labels), estimate = num(coef(svymean(f, sub))[1]), r_estimate = num(coef(e)), se = num(sqrt(attr(e, "var")[1])),
      ci_low = num(ci[1]), ci_high = num(ci[2]))
  })
  add(list(id = paste("ciprop", des_name, variable, category, method, paste(by, collapse = "+"), sep = "_"), kind = "ciprop",
    design = des_name, variable = variable, category = category, method = method, by = if (is.null(by)) NULL else I(by), df = num(df),
    r_call = sprintf('svyciprop(~I(as.numeric(%s == "%s")), subset(des, <domain>), method = "%s", df = degf(des))', variable, category, method),
    results = results))
}
prop_specs <- list(
  list("strat", "awards", "Yes", "stype"), list("clus1", "stype", "H", "awards"), list("vol", "age", "55+", "sex"),
  list("vol_wr", "sex", "F", "region"), list("clus1_jk1", "stype", "H", "awards"), list("strat_jkn", "schwide", "No", "stype"),
  list("vol_jkn", "age", "55+", "region"), list("vol_boot", "sex", "F", "age"))
for (s in prop_specs) for (m in c("mean", "logit", "xlogit", "asin", "beta")) {
  ciprop_case(s[[1]], s[[2]], s[[3]], m)
  ciprop_case(s[[1]], s[[2]], s[[3]], m, by = s[[4]])
}
# A rare category in small domains: the Wald interval leaves [0, 1], the others do not.
vol$rare <- ifelse(vol$hours > 12 & !is.na(vol$hours), "yes", "no")
for (n in c("vol", "vol_wr", "vol_jkn", "vol_boot")) designs[[n]] <- update(designs[[n]], rare = ifelse(hours > 12 & !is.na(hours), "yes", "no"))
for (n in c("vol", "vol_jkn")) for (m in c("mean", "logit", "xlogit", "asin", "beta")) ciprop_case(n, "rare", "yes", m, by = c("region", "sex"))

deff_case <- function(des_name, statistic, variable, by = NULL) {
  des <- designs[[des_name]]
  results <- lapply(domain_masks(des$variables, by), function(dom) {
    sub <- if (all(dom$mask)) des else subset(des, dom$mask)
    f <- as.formula(paste0("~", variable))
    e <- if (statistic == "mean") svymean(f, sub, deff = TRUE, na.rm = TRUE) else svytotal(f, sub, deff = TRUE, na.rm = TRUE)
    list(domain = I(dom$labels), estimate = num(coef(e)[1]), se = num(SE(e)[1]), deff = num(deff(e)[1]), deft = num(sqrt(deff(e)[1])))
  })
  add(list(id = paste("deff", des_name, statistic, variable, paste(by, collapse = "+"), sep = "_"), kind = "deff", design = des_name,
    statistic = statistic, variable = variable, by = if (is.null(by)) NULL else I(by), df = num(degf(des)),
    r_call = sprintf("%s(~%s, subset(des, <domain>), deff = TRUE, na.rm = TRUE); deft = sqrt(deff)", if (statistic == "mean") "svymean" else "svytotal", variable),
    results = results))
}
for (n in c("vol", "vol_jkn", "clus1", "clus1_jk1", "vol_boot")) {
  v <- if (startsWith(n, "clus1")) "api00" else "hours"
  b <- if (startsWith(n, "clus1")) "stype" else "sex"
  for (st in c("mean", "total")) { deff_case(n, st, v); deff_case(n, st, v, by = b) }
}

# ---------------------------------------------------------------- compare, ttest, chisq
compare_case <- function(des_name, statistic, variable, compare, other = NULL, denominator = NULL) {
  des <- designs[[des_name]]
  df <- degf(des)
  by <- c(other, compare)
  fby <- as.formula(paste0("~", paste(by, collapse = "+")))
  f <- as.formula(paste0("~", variable))
  s <- switch(statistic,
    mean = svyby(f, fby, des, svymean, covmat = TRUE),
    total = svyby(f, fby, des, svytotal, covmat = TRUE),
    ratio = svyby(f, fby, des, svyratio, denominator = as.formula(paste0("~", denominator)), covmat = TRUE))
  keyframe <- as.data.frame(s)[, by, drop = FALSE]
  names_s <- names(coef(s))
  levels_c <- sort(unique(as.character(des$variables[[compare]])))
  groups <- if (is.null(other)) list(character(0)) else {
    g <- unique(des$variables[, other, drop = FALSE]); g <- g[do.call(order, unname(as.list(g))), , drop = FALSE]
    lapply(seq_len(nrow(g)), function(i) vapply(other, function(o) as.character(g[i, o]), ""))
  }
  results <- list()
  for (g in groups) for (a in seq_along(levels_c)) for (b in seq_along(levels_c)) if (a < b) {
    pick <- function(level) {
      m <- rep(TRUE, nrow(keyframe))
      for (o in seq_along(other)) m <- m & as.character(keyframe[[other[o]]]) == g[o]
      which(m & as.character(keyframe[[compare]]) == level)
    }
    ia <- pick(levels_c[a]); ib <- pick(levels_c[b])
    if (length(ia) != 1 || length(ib) != 1) next
    cv <- rep(0, length(names_s)); cv[ib] <- 1; cv[ia] <- -1
    ct <- svycontrast(s, cv)
    t <- coef(ct)[1] / SE(ct)[1]
    results[[length(results) + 1]] <- list(other = I(g), level_a = levels_c[a], level_b = levels_c[b], difference = num(coef(ct)[1]),
      se = num(SE(ct)[1]), t = num(t), df = num(df), p = num(2 * pt(-abs(t), df)))
  }
  add(list(id = paste("compare", des_name, statistic, variable, compare, paste(other, collapse = "+"), sep = "_"), kind = "compare",
    design = des_name, statistic = statistic, variable = variable, denominator = denominator, compare = compare,
    by = I(by), df = num(df),
    r_call = sprintf("s <- svyby(~%s, ~%s, des, %s, covmat = TRUE); svycontrast(s, level_b - level_a) within each level of the other by variables; p = 2 * pt(-|t|, degf(des))",
      variable, paste(by, collapse = "+"), paste0("svy", statistic)),
    results = results))
}
for (n in c("vol", "vol_wr", "vol_jkn", "vol_boot")) {
  compare_case(n, "mean", "volunteer", "sex")
  compare_case(n, "mean", "volunteer", "age")
  compare_case(n, "mean", "volunteer", "sex", other = "age")
  compare_case(n, "total", "value", "region")
  compare_case(n, "ratio", "value", "sex", other = "region", denominator = "volunteer")
}
for (n in c("clus1", "strat", "clus1_jk1", "strat_jkn")) {
  compare_case(n, "mean", "api00", "stype")
  compare_case(n, "total", "enroll", "awards", other = "stype")
}

ttest_case <- function(des_name, variable, group) {
  des <- designs[[des_name]]
  tt <- svyttest(as.formula(paste0(variable, "~", group)), des)
  levels_g <- sort(unique(as.character(des$variables[[group]])))
  add(list(id = paste("ttest", des_name, variable, group, sep = "_"), kind = "ttest", design = des_name, variable = variable, group = group,
    r_call = sprintf("svyttest(%s ~ %s, des)", variable, group),
    results = list(list(level_a = levels_g[1], level_b = levels_g[2], difference = num(tt$estimate), se = num(tt$estimate / tt$statistic),
      t = num(tt$statistic), df = num(tt$parameter), p = num(tt$p.value)))))
}
for (n in c("vol", "vol_wr", "vol_jkn", "vol_boot", "clus1", "clus1_jk1")) {
  if (startsWith(n, "clus1")) { ttest_case(n, "api00", "awards"); ttest_case(n, "enroll", "schwide") }
  else { ttest_case(n, "value", "sex"); ttest_case(n, "volunteer", "sex") }
}

chisq_case <- function(des_name, a, b) {
  des <- designs[[des_name]]
  x <- svychisq(as.formula(paste0("~", a, "+", b)), des, statistic = "F")
  add(list(id = paste("chisq", des_name, a, b, sep = "_"), kind = "chisq", design = des_name, a = a, b = b,
    r_call = sprintf('svychisq(~%s + %s, des, statistic = "F")', a, b),
    results = list(list(f = num(x$statistic), ndf = num(x$parameter[1]), ddf = num(x$parameter[2]), p = num(x$p.value)))))
}
for (n in c("vol", "vol_wr", "vol_jkn", "vol_boot")) { chisq_case(n, "sex", "age"); chisq_case(n, "age", "region"); chisq_case(n, "volunteer", "age") }
for (n in c("clus1", "strat", "clus1_jk1", "strat_jkn")) { chisq_case(n, "stype", "awards"); chisq_case(n, "awards", "schwide") }

# ---------------------------------------------------------------- multistage
# Two-stage volunteer sample: 4 regions (strata); PSUs (settlements) drawn from N_h, SSUs (households' blocks) drawn from M_p
# within each PSU, 3-6 persons per SSU. Region D is a certainty stratum: all its N = 2 PSUs are sampled (fpc1 = 2), so its
# stage-1 variance is 0 and its variance comes from the second stage. "group" takes the value "x" in few PSUs only, so its
# domain has a single PSU in some strata (survey.adjust.domain.lonely).
set.seed(1919)
ms_rows <- list()
regions <- c(A = 4, B = 5, C = 3, D = 2); popsizes <- c(A = 20, B = 25, C = 12, D = 2)
for (h in names(regions)) for (j in seq_len(regions[[h]])) {
  M <- sample(5:12, 1); m <- sample(2:4, 1)
  for (k in seq_len(m)) {
    np <- sample(3:6, 1)
    age <- sample(c("15-29", "30-54", "55+"), np, replace = TRUE)
    vol <- rbinom(np, 1, 0.3)
    hours <- ifelse(vol == 1, round(rlnorm(np, log(6), 0.7), 1), 0)
    ms_rows[[length(ms_rows) + 1]] <- data.frame(region = h, psu = paste0("p", j), ssu = paste0("s", k), fpc1 = popsizes[[h]], fpc2 = M,
      pw = round(popsizes[[h]] / regions[[h]] * M / m * runif(np, 8, 12), 2), sex = sample(c("F", "M"), np, replace = TRUE), age = age,
      volunteer = vol, hours = hours, value = round(hours * runif(np, 300, 900), 2),
      group = if ((h == "A" && j == 1) || (h == "B" && j %in% c(2, 3)) || (h == "C" && j == 2)) "x" else "y", stringsAsFactors = FALSE)
  }
}
ms <- do.call(rbind, ms_rows)
writeLines(c(paste(names(ms), collapse = ","), do.call(paste, c(lapply(ms, function(col) if (is.numeric(col)) sprintf("%.17g", col) else col), sep = ","))),
  file.path(dir, "volunteer_2stage.csv"))

ms_designs <- list()
ms_specs <- list()
add_ms <- function(name, lonely, adjust_domain, expr, one_stage = FALSE) {
  old <- options(survey.lonely.psu = lonely, survey.adjust.domain.lonely = adjust_domain)
  on.exit(options(old))
  ms_designs[[name]] <<- eval(parse(text = expr))
  ms_specs[[name]] <<- list(kind = "taylor2", data = "volunteer_2stage.csv", weights = "pw", strata = "region", psu = "psu",
    ssu = if (one_stage) NULL else "ssu", fpc = "fpc1", fpc2 = if (one_stage) NULL else "fpc2", lonely = lonely,
    adjust_domain_lonely = adjust_domain, r_call = expr, df = num(degf(ms_designs[[name]])))
}
two_stage <- 'svydesign(ids = ~psu + ssu, strata = ~region, fpc = ~fpc1 + fpc2, weights = ~pw, nest = TRUE, data = ms)'
add_ms("ms", "fail", FALSE, two_stage)
add_ms("ms_one_stage", "fail", FALSE, 'svydesign(ids = ~psu, strata = ~region, fpc = ~fpc1, weights = ~pw, nest = TRUE, data = ms)', one_stage = TRUE)
add_ms("ms_adjust_domain", "adjust", TRUE, two_stage)
add_ms("ms_average_domain", "average", TRUE, two_stage)
add_ms("ms_adjust", "adjust", FALSE, two_stage)

ms_case <- function(des_name, statistic, variable, by = NULL, category = NULL, denominator = NULL, method = "mean") {
  des <- ms_designs[[des_name]]
  spec <- ms_specs[[des_name]]
  old <- options(survey.lonely.psu = spec$lonely, survey.adjust.domain.lonely = spec$adjust_domain_lonely)
  on.exit(options(old))
  df <- degf(des)
  results <- lapply(domain_masks(des$variables, by), function(dom) {
    sub <- if (all(dom$mask)) des else subset(des, dom$mask)
    f <- as.formula(paste0("~", variable))
    r <- switch(statistic,
      total = { e <- svytotal(f, sub, deff = TRUE); c(coef(e)[1], SE(e)[1], deff(e)[1], confint(e, df = df)[1, ]) },
      mean = { e <- svymean(f, sub, deff = TRUE); c(coef(e)[1], SE(e)[1], deff(e)[1], confint(e, df = df)[1, ]) },
      ratio = { e <- svyratio(f, as.formula(paste0("~", denominator)), sub, deff = TRUE)
                c(coef(e)[1], SE(e)[1], attr(e, "deff")[1], confint(e, df = df)[1, ]) },
      proportion = { pf <- as.formula(sprintf('~I(as.numeric(%s == "%s"))', variable, category))
                     m <- svymean(pf, sub, deff = TRUE); ci <- attr(svyciprop(pf, sub, method = method, df = df), "ci")
                     c(coef(m)[1], SE(m)[1], deff(m)[1], ci) })
    list(domain = I(dom$labels), estimate = num(r[1]), se = num(r[2]), deff = num(r[3]), ci_low = num(r[4]), ci_high = num(r[5]))
  })
  add(list(id = paste("multistage", des_name, statistic, variable, category, method, paste(by, collapse = "+"), sep = "_"), kind = "multistage",
    design = des_name, statistic = statistic, variable = variable, category = category, denominator = denominator, method = method,
    by = if (is.null(by)) NULL else I(by), df = num(df),
    r_call = sprintf('options(survey.lonely.psu = "%s", survey.adjust.domain.lonely = %s); des <- %s; %s on subset(des, <domain>)', spec$lonely,
      spec$adjust_domain_lonely, spec$r_call, statistic),
    results = results))
}
for (n in c("ms", "ms_one_stage")) {
  for (by in list(NULL, "sex", "age", c("region", "sex"))) {
    ms_case(n, "total", "value", by); ms_case(n, "mean", "hours", by); ms_case(n, "ratio", "hours", by, denominator = "volunteer")
  }
  for (m in c("mean", "logit")) { ms_case(n, "proportion", "age", NULL, "55+", method = m); ms_case(n, "proportion", "age", "sex", "55+", method = m) }
}
for (n in c("ms_adjust_domain", "ms_average_domain", "ms_adjust")) {
  ms_case(n, "total", "value", "group"); ms_case(n, "mean", "hours", "group"); ms_case(n, "total", "value", c("group", "sex"))
  ms_case(n, "ratio", "hours", "group", denominator = "volunteer")
}
stopifnot(ms_designs$ms$fpc$popsize[ms$region == "D", 1][1] == 2)

# ---------------------------------------------------------------- write
out <- list(generator = "tests/r/golden-inference.R", r_version = R.version.string, survey_version = as.character(packageVersion("survey")), designs = ms_specs, cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, null = "null", pretty = TRUE), file.path(dir, "inference-golden.json"))
cat(length(cases), "cases written\n")
