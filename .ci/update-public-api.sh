#!/usr/bin/env bash
# Rewrites src/ContributionIndex/PublicAPI.Unshipped.txt from the library's current public surface (the analyzer's
# RS0016 diagnostics name each symbol in the file's format). Run after a deliberate change to the public API and
# review the diff: every added or removed line is a change users of the library will see.
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/ContributionIndex/PublicAPI.Unshipped.txt
printf '#nullable enable\n' > "$file"
dotnet build src/ContributionIndex -c Release --no-incremental -p:TreatWarningsAsErrors=false 2>&1 \
  | grep 'warning RS0016' | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | LC_ALL=C sort -u > "$file.new"
cat "$file.new" >> "$file"
rm "$file.new"
echo "$(($(wc -l < "$file") - 1)) public symbols in $file"
