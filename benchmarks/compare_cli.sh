#!/bin/bash
# Byte-for-byte output check of two chainkg CLIs on one workspace (issue 13: speed-ups must not change output).
#
#   benchmarks/compare_cli.sh BASE_CHAINKG NEW_CHAINKG DIR WORKSPACE [OUT]
#   e.g. benchmarks/compare_cli.sh /work/main/.venv/bin/chainkg .venv/bin/chainkg /tmp/sb ws.chainkg
#
# Runs 17 commands (every gap query, targets all rows and --limit 50, pipeline, info, show by name / id / alias /
# Traditional name, search, a name that is not there) in 4 formats (JSON, table zh, table en, CSV) through both
# CLIs, each with its own snapshot cache folder inside DIR, and compares stdout, stderr and the exit code.
# The `show` probes name nodes of `chainkg generate --firms 100000 --seed 7`. Exit status 1 if anything differs.
set -u
base=$1; new=$2; dir=$3; ws=$4; out=${5:-$(mktemp -d)}
mkdir -p "$out"; cd "$dir" || exit 2
unset COLUMNS CHAINKG_LANG CHAINKG_NO_CACHE
fails=0; n=0
while IFS='|' read -r name args; do
  for fmt in json table-zh table-en csv; do
    case $fmt in json) extra=(--format json);; csv) extra=(--format csv);; *) extra=();; esac
    lang=zh; [ "$fmt" = table-en ] && lang=en
    f=$out/$name.$fmt
    # shellcheck disable=SC2086  # $args is a list of words
    XDG_CACHE_HOME=$dir/cache-base "$base" --lang $lang --graph "$ws" $args "${extra[@]}" > "$f.base" 2> "$f.base.err"; rb=$?
    # shellcheck disable=SC2086
    XDG_CACHE_HOME=$dir/cache "$new" --lang $lang --graph "$ws" $args "${extra[@]}" > "$f.new" 2> "$f.new.err"; rn=$?
    n=$((n + 1))
    if [ $rb != $rn ] || ! cmp -s "$f.base" "$f.new" || ! cmp -s "$f.base.err" "$f.new.err"; then
      echo "DIFF $name $fmt (exit $rb/$rn)"; fails=$((fails + 1))
    fi
  done
done <<'LIST'
info|info
show|show 昆明市
show-firm|show ent:123
show-alias|show 昆明
show-name|show 株洲中达汽车部件有限公司
show-trad|show 株洲中達汽車部件有限公司
coverage|gaps coverage
missing|gaps missing
weak|gaps weak
extend|gaps extend
dependencies|gaps dependencies
chokepoints|gaps chokepoints
targets50|targets --limit 50
targets|targets
pipeline|pipeline
search|search 昆明
notfound|show 不存在的公司名
LIST
echo "$n comparisons, $fails differ (outputs in $out)"
[ $fails = 0 ]
