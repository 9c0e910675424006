#!/usr/bin/env bash
# Rewrites src/ContributionIndex/PublicAPI.Unshipped.txt from the library's current public surface (the analyzer's
# RS0016 diagnostics name each symbol in the file's format). Run after a deliberate change to the public API and
# review the diff: every added or removed line is a change users of the library will see.
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/ContributionIndex/PublicAPI.Unshipped.txt
log=$(mktemp)
cp "$file" "$file.bak"
printf '#nullable enable\n' > "$file"
dotnet build src/ContributionIndex -c Release --no-incremental -p:TreatWarningsAsErrors=false > "$log" 2>&1 || true
# Any error other than the API analyzer's means the list below would be incomplete: keep the old file.
if grep -E ' error ' "$log" | grep -vq 'RS001[67]'; then
  mv "$file.bak" "$file"
  grep -E ' error ' "$log" | grep -v 'RS001[67]' | sort -u | head -5 >&2
  echo "the library does not build: $file left as it was" >&2
  exit 1
fi
grep 'warning RS0016' "$log" | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | LC_ALL=C sort -u >> "$file"
rm -f "$file.bak" "$log"
dotnet build src/ContributionIndex -c Release > /dev/null || { echo "the regenerated $file does not build" >&2; exit 1; }
echo "$(($(wc -l < "$file") - 1)) public symbols in $file"
