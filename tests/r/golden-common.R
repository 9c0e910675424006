# Helpers every golden script sources (from tests/r): numbers as R prints them to full precision, and data files the
# C# tests read. write_data writes to the calling script's out_dir.
num <- function(x) ifelse(is.na(x) & !is.nan(x), "NA", sprintf("%.17g", as.numeric(x)))
write_data <- function(df, file) {
  cols <- lapply(df, function(col) {
    if (is.numeric(col)) ifelse(is.na(col), "", sprintf("%.17g", col)) else ifelse(is.na(col), "", as.character(col))
  })
  lines <- c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ",")))
  writeLines(lines, file.path(out_dir, file))
}
