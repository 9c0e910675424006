# Golden values for quantile intervals (issue #19), computed with R survey 4.1-1 (r-base-core 4.2.2, r-cran-survey 4.1-1).
#
#   cd tests/r && Rscript golden-quantile.R
#
# Reads the sample files golden.R wrote (../ContributionIndex.Tests/TestData/estimation/*.csv) and writes quantile-golden.json
# there: one entry per case with the design (a name of golden.json's designs), the R call, and R's numbers written with
# sprintf("%.17g"). The C# side (QuantileParityTests) compares to 1e-9 relative.
#
# Cases, each on the whole sample and by a domain variable (svyby's subset(des, domain)), df = degf(des) of the whole design
# as in golden.R:
#   taylor      svyquantile(~y, subset(des, domain), p, interval.type = m, df = degf(des), na.rm = TRUE) for m in mean, beta,
#               xlogit, asin, score on the Taylor designs strat (strata + fpc), clus1 (PSUs + fpc), vol (strata + PSUs + fpc),
#               vol_wr (strata + PSUs).
#   replicate   the same with m in mean, quantile on clus1_jk1 (JK1), strat_jkn and vol_jkn (JKn), vol_boot (bootstrap).
#   likelihood  svyciprop(~I(as.numeric(v == "c")), subset(des, domain), method = "likelihood", df = degf(des)) on the Taylor
#               designs, whole sample, by one domain variable and a rare category by region x sex; likelihood_replicate the same
#               on the replicate designs, where R 4.1-1 returns NA (see below).
#   chisq_domain svychisq(~a + b, subset(des, by == level), statistic = "F") per level of a by variable, on Taylor (vol, vol_wr,
#               clus1, strat) and replicate (vol_jkn, vol_boot, clus1_jk1, strat_jkn) designs.
#   quirk       svyquantile.svyrep.design with interval.type beta, xlogit or asin: R 4.1-1 calls woodruffCI without the
#               method, so it returns the "mean" interval (recorded to justify that the tool refuses these combinations).
# A domain where R stops (the likelihood profile finds a lower deviance than the fit, as for a category absent from the domain; uniroot's end points of the same sign in the score interval) is recorded with error = R's message.

source("golden-designs.R")  # options, sample files and the named designs
for (n in names(designs)) stopifnot(degf(designs[[n]]) == as.numeric(golden$designs[[n]]$df))

domain_masks <- function(data, by) {
  if (is.null(by)) return(list(list(labels = character(0), mask = rep(TRUE, nrow(data)))))
  keys <- sort(unique(as.character(data[[by]])))
  lapply(keys, function(k) list(labels = k, mask = !is.na(data[[by]]) & as.character(data[[by]]) == k))
}

cases <- list()
add <- function(case) cases[[length(cases) + 1]] <<- case

quantile_case <- function(kind, des_name, variable, p, method, by = NULL) {
  des <- designs[[des_name]]
  df <- degf(des)
  results <- lapply(domain_masks(des$variables, by), function(dom) {
    sub <- if (all(dom$mask)) des else subset(des, dom$mask)
    r <- tryCatch({
      e <- suppressWarnings(svyquantile(as.formula(paste0("~", variable)), sub, quantiles = p, ci = TRUE, df = df, na.rm = TRUE,
        interval.type = method))[[1]]
      list(domain = I(dom$labels), quantile = num(e[1, 1]), ci_low = num(e[1, 2]), ci_high = num(e[1, 3]), se = num(e[1, 4]))
    }, error = function(err) list(domain = I(dom$labels), error = conditionMessage(err)))
    r
  })
  add(list(id = paste("quantile", des_name, variable, p, method, paste(by, collapse = "+"), sep = "_"), kind = kind, design = des_name,
    variable = variable, p = num(p), method = method, by = if (is.null(by)) NULL else I(by), df = num(df),
    r_call = sprintf('svyquantile(~%s, subset(des, <domain>), quantiles = %s, ci = TRUE, df = degf(des), na.rm = TRUE, interval.type = "%s")',
      variable, p, method),
    results = results))
}

specs <- list(
  strat = list(variable = "api00", by = "awards", p = c(0.5, 0.25)),
  clus1 = list(variable = "enroll", by = "stype", p = c(0.5, 0.25)),
  vol = list(variable = "value", by = "sex", p = c(0.5, 0.9)),
  vol_wr = list(variable = "hours", by = "age", p = c(0.5, 0.75)),
  clus1_jk1 = list(variable = "api00", by = "stype", p = c(0.5, 0.25)),
  strat_jkn = list(variable = "enroll", by = "awards", p = c(0.5, 0.75)),
  vol_jkn = list(variable = "value", by = "region", p = c(0.5, 0.9)),
  vol_boot = list(variable = "hours", by = "sex", p = c(0.5, 0.75)))
for (n in c("strat", "clus1", "vol", "vol_wr")) for (p in specs[[n]]$p) for (m in c("mean", "beta", "xlogit", "asin", "score")) {
  quantile_case("taylor", n, specs[[n]]$variable, p, m)
  quantile_case("taylor", n, specs[[n]]$variable, p, m, by = specs[[n]]$by)
}
for (n in c("clus1_jk1", "strat_jkn", "vol_jkn", "vol_boot")) for (p in specs[[n]]$p) for (m in c("mean", "quantile")) {
  quantile_case("replicate", n, specs[[n]]$variable, p, m)
  quantile_case("replicate", n, specs[[n]]$variable, p, m, by = specs[[n]]$by)
}
for (m in c("beta", "xlogit", "asin")) quantile_case("quirk", "vol_jkn", "value", 0.5, m, by = "region")

# ---------------------------------------------------------------- svyciprop(method = "likelihood")
# Taylor designs: expit of confint(svyglm(y ~ 1, quasibinomial), method = "likelihood", ddf = df). Replicate designs: R 4.1-1
# returns NA (its replicate glm's Pearson residuals are scaled by sqrt(n), so the profile never reaches the cutoff); recorded
# as kind "likelihood_replicate" to justify that the tool refuses the combination.
vol$rare <- ifelse(vol$hours > 12 & !is.na(vol$hours), "yes", "no")
for (n in c("vol", "vol_wr", "vol_jkn", "vol_boot")) designs[[n]] <- update(designs[[n]], rare = ifelse(hours > 12 & !is.na(hours), "yes", "no"))
likelihood_case <- function(des_name, variable, category, by = NULL) {
  des <- designs[[des_name]]
  df <- degf(des)
  masks <- if (length(by) == 2) {
    keys <- unique(des$variables[, by]); keys <- keys[do.call(order, unname(as.list(keys))), ]
    lapply(seq_len(nrow(keys)), function(k) list(labels = c(keys[k, 1], keys[k, 2]),
      mask = des$variables[[by[1]]] == keys[k, 1] & des$variables[[by[2]]] == keys[k, 2]))
  } else domain_masks(des$variables, by)
  results <- lapply(masks, function(dom) {
    sub <- if (all(dom$mask)) des else subset(des, dom$mask)
    f <- as.formula(sprintf('~I(as.numeric(%s == "%s"))', variable, category))
    tryCatch({
      e <- svyciprop(f, sub, method = "likelihood", df = df)
      ci <- attr(e, "ci")
      list(domain = I(dom$labels), estimate = num(coef(svymean(f, sub))[1]), se = num(sqrt(attr(e, "var")[1])), ci_low = num(ci[1]), ci_high = num(ci[2]))
    }, error = function(err) list(domain = I(dom$labels), error = conditionMessage(err)))
  })
  add(list(id = paste("ciprop", des_name, variable, category, "likelihood", paste(by, collapse = "+"), sep = "_"),
    kind = if (inherits(des, "svyrep.design")) "likelihood_replicate" else "likelihood", design = des_name, variable = variable,
    category = category, method = "likelihood", by = if (is.null(by)) NULL else I(by), df = num(df),
    r_call = sprintf('svyciprop(~I(as.numeric(%s == "%s")), subset(des, <domain>), method = "likelihood", df = degf(des))', variable, category),
    results = results))
}
prop_specs <- list(
  list("strat", "awards", "Yes", "stype"), list("clus1", "stype", "H", "awards"), list("vol", "age", "55+", "sex"),
  list("vol_wr", "sex", "F", "region"), list("clus1_jk1", "stype", "H", "awards"), list("strat_jkn", "schwide", "No", "stype"),
  list("vol_jkn", "age", "55+", "region"), list("vol_boot", "sex", "F", "age"))
for (s in prop_specs) { likelihood_case(s[[1]], s[[2]], s[[3]]); likelihood_case(s[[1]], s[[2]], s[[3]], by = s[[4]]) }
for (s in list(list("strat", "stype", "H", "awards"), list("clus1", "awards", "Yes", "stype"), list("vol", "sex", "F", "age"),
  list("vol_wr", "age", "15-29", "sex"))) likelihood_case(s[[1]], s[[2]], s[[3]], by = s[[4]])
for (n in c("vol", "vol_wr")) likelihood_case(n, "rare", "yes", by = c("region", "sex"))

# ---------------------------------------------------------------- svychisq within domains
# svychisq(~a + b, subset(des, by == level), statistic = "F") for every level of by: the subset's own rows (N), df (nu: PSUs
# minus strata of the subset, or the rank of its replicate weights minus 1) and levels.
chisq_domain_case <- function(des_name, a, b, by) {
  des <- designs[[des_name]]
  results <- lapply(domain_masks(des$variables, by), function(dom) {
    sub <- subset(des, dom$mask)
    tryCatch({
      x <- svychisq(as.formula(paste0("~", a, "+", b)), sub, statistic = "F")
      list(domain = I(dom$labels), f = num(x$statistic), ndf = num(x$parameter[1]), ddf = num(x$parameter[2]), p = num(x$p.value))
    }, error = function(err) list(domain = I(dom$labels), error = conditionMessage(err)))
  })
  add(list(id = paste("chisq", des_name, a, b, by, sep = "_"), kind = "chisq_domain", design = des_name, a = a, b = b, by = I(by),
    r_call = sprintf('svychisq(~%s + %s, subset(des, %s == <level>), statistic = "F")', a, b, by), results = results))
}
for (n in c("vol", "vol_wr", "vol_jkn", "vol_boot")) { chisq_domain_case(n, "sex", "age", "region"); chisq_domain_case(n, "volunteer", "age", "sex") }
for (n in c("clus1", "strat", "clus1_jk1", "strat_jkn")) { chisq_domain_case(n, "stype", "awards", "schwide"); chisq_domain_case(n, "awards", "schwide", "stype") }

out <- list(generator = "tests/r/golden-quantile.R", r_version = R.version.string, survey_version = as.character(packageVersion("survey")), cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, null = "null", pretty = TRUE), file.path(dir, "quantile-golden.json"))
cat(length(cases), "cases written\n")
