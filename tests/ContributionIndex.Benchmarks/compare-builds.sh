#!/usr/bin/env bash
# Byte-identity guard for performance work (methodology/scale.md §8, §9): runs `contrib value --partial` of two builds
# on the same inputs, with and without `--records none` (which takes the hour-log fast path where it applies), and
# compares every output byte for byte (manifest.json without its package_version line, which
# carries the commit), plus stdout, stderr and the exit code.
#
#   tests/ContributionIndex.Benchmarks/compare-builds.sh OLD_BIN_DIR NEW_BIN_DIR [WORK_DIR]
#
# BIN_DIR is a folder with contrib.dll, e.g. from `dotnet build src/ContributionIndex.Cli -c Release -o /tmp/old`.
# Inputs: a 200,000-row synthetic log under three studies (generated; imputed policy; 40-hour minimum with a
# rejection tolerance the log exceeds), a 50,000-row Parquet log, the samples/central-asia studies and every CSV of the
# hardening corpus through its study template, once as survey microdata and once as an hour log. Exit code 0 when
# everything is identical, 1 otherwise.
set -euo pipefail
old=$(cd "$1" && pwd); new=$(cd "$2" && pwd)
work=${3:-$(mktemp -d)}
repo=$(cd "$(dirname "$0")/../.." && pwd)
inputs=$work/inputs
mkdir -p "$inputs"

if [ ! -f "$inputs/synth200k/study-tight.yaml" ]; then
  dotnet "$old/contrib.dll" synth --rows 200000 --out "$inputs/synth200k" >/dev/null
  dotnet "$old/contrib.dll" synth --rows 50000 --seed 7 --format parquet --out "$inputs/synth50k-pq" >/dev/null
  sed 's/opportunity_cost_policy: share-of-average/opportunity_cost_policy: imputed/' "$inputs/synth200k/study.yaml" > "$inputs/synth200k/study-imputed.yaml"
  sed 's/rejection_tolerance: 0.01/rejection_tolerance: 0.0001/; s/minimum_hours: 1/minimum_hours: 40/' "$inputs/synth200k/study.yaml" > "$inputs/synth200k/study-tight.yaml"
  hardening=$repo/tests/ContributionIndex.Tests/TestData/hardening
  mkdir -p "$inputs/hardening"
  cp "$hardening"/*.csv "$inputs/hardening/"
  for f in "$inputs"/hardening/*.csv; do
    name=$(basename "$f" .csv)
    [ "$name" = corpus ] || [ "$name" = wages ] && continue
    sed "s#{{path}}#$name.csv#; s#{{options}}##; s#{{tolerance}}#1#" "$hardening/study.template.yaml" > "$inputs/hardening/study-$name.yaml"
    sed "s#{{path}}#$name.csv#; s#{{options}}##; s#{{tolerance}}#1#; s#kind: survey#kind: hour-log#" "$hardening/study.template.yaml" > "$inputs/hardening/study-hourlog-$name.yaml"
  done
fi

run_all() { # BIN OUT
  local bin=$1 out=$2
  rm -rf "$out"; mkdir -p "$out"
  local studies=("$inputs/synth200k/study.yaml" "$inputs/synth200k/study-imputed.yaml" "$inputs/synth200k/study-tight.yaml"
    "$inputs/synth50k-pq/study.yaml")
  for s in kz kg tj uz regional; do studies+=("$repo/samples/central-asia/$s.yaml"); done
  studies+=("$inputs"/hardening/study-*.yaml)
  for study in "${studies[@]}"; do
    for records in csv none; do
      local name; name=$(basename "$(dirname "$study")")-$(basename "$study" .yaml)-$records
      mkdir -p "$out/$name"
      (cd "$(dirname "$study")" && { dotnet "$bin/contrib.dll" value "$(basename "$study")" --out "$out/$name/out" --partial --records $records \
        >"$out/$name/stdout" 2>"$out/$name/stderr"; echo $? >"$out/$name/exit"; } || true)
      sed -i "s#$out#OUT#g" "$out/$name/stdout" "$out/$name/stderr"
    done
  done
}

run_all "$old" "$work/old"
run_all "$new" "$work/new"

differences=0
while IFS= read -r file; do
  if [[ $file == *manifest.json ]]; then
    cmp -s <(grep -v '"package_version"' "$work/old/$file") <(grep -v '"package_version"' "$work/new/$file") || { echo "DIFFERS: $file"; differences=1; }
  else
    cmp -s "$work/old/$file" "$work/new/$file" || { echo "DIFFERS: $file"; differences=1; }
  fi
done < <(cd "$work/old" && find . -type f | sort)
[ "$(cd "$work/old" && find . -type f | wc -l)" = "$(cd "$work/new" && find . -type f | wc -l)" ] || { echo "DIFFERS: the sets of files"; differences=1; }
echo "compared $(cd "$work/old" && find . -type f | wc -l) files in $work: $([ $differences = 0 ] && echo identical || echo DIFFERENT)"
exit $differences
