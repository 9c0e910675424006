# Shared by golden-inference.R and golden-quantile.R (source it from tests/r): the R survey 4.1-1 options, the sample
# files golden.R wrote, and the named designs whose degrees of freedom golden.json records.

suppressMessages(library(survey))
library(jsonlite)
stopifnot(packageVersion("survey") == "4.1.1")
options(survey.lonely.psu = "fail", survey.replicates.mse = FALSE, survey.adjust.domain.lonely = FALSE)

dir <- "../ContributionIndex.Tests/TestData/estimation"
source("golden-common.R")  # num
read <- function(file) read.csv(file.path(dir, file), stringsAsFactors = FALSE)
golden <- fromJSON(file.path(dir, "golden.json"), simplifyVector = FALSE)

vol <- read("volunteer.csv"); vol$volunteer <- as.numeric(vol$volunteer)
apistrat_d <- read("apistrat.csv")
apiclus1_d <- read("apiclus1.csv")
rep_matrix <- function(file) as.matrix(read(file))

designs <- list(
  strat = svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat_d),
  clus1 = svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_d),
  vol = svydesign(ids = ~psu, strata = ~region, weights = ~pw, fpc = ~popsize, nest = TRUE, data = vol),
  vol_wr = svydesign(ids = ~psu, strata = ~region, weights = ~pw, nest = TRUE, data = vol))
designs$clus1_jk1 <- as.svrepdesign(designs$clus1, type = "JK1")
designs$strat_jkn <- as.svrepdesign(designs$strat, type = "JKn")
designs$vol_jkn <- as.svrepdesign(designs$vol_wr, type = "JKn")
designs$vol_boot <- svrepdesign(data = vol, weights = ~pw, repweights = rep_matrix("vol_boot_rep.csv"), type = "bootstrap",
  scale = as.numeric(golden$designs$vol_boot$scale), combined.weights = TRUE)
