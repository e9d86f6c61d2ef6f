#!/usr/bin/env bash
# Build entry point (Linux/macOS). Verbs:
#   (none)   restore, build, test, pack
#   test     every test (unit, convention, robustness, end-to-end against the packed package)
#   pack     artifacts/ConcurrencyAnalyzers.<version>.nupkg and ConcurrencyAnalyzers.Runtime.<version>.nupkg (+ .snupkg)
#   sample   pack into a local feed, build samples/ against the packed package, print its diagnostics
#   bench    BenchmarkDotNet suites: [analyzers|runtime] (both when omitted), --full for the full job
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
version="${VERSION:-0.1.0-local.$(date -u +%Y%m%d%H%M%S)}"
artifacts="$PWD/artifacts"

# phase NAME COMMAND...: says what starts, runs it, says how long it took (and whether it failed).
phase() {
  local name="$1" start=$SECONDS rc=0
  shift
  echo "== $name"
  "$@" || rc=$?
  echo "== $name: $([ $rc -eq 0 ] && echo done || echo "failed (exit $rc)") in $((SECONDS - start)) s"
  return $rc
}

# quiet LOG COMMAND...: runs the command with its output in LOG; on failure, shows the log.
quiet() {
  local log="$1"
  shift
  "$@" >"$log" 2>&1 || { cat "$log"; return 1; }
}

build() {
  phase "build (solution)" dotnet build ConcurrencyAnalyzers.sln -c "$configuration"
}

# The test projects, in the order they run: the rules on Roslyn 5.12 and on 4.11, the runtime, the packed package.
test_projects=(
  tests/ConcurrencyAnalyzers.Tests
  tests/ConcurrencyAnalyzers.Tests.Roslyn411
  tests/ConcurrencyAnalyzers.Runtime.Tests
  tests/ConcurrencyAnalyzers.EndToEnd.Tests
)

run_tests() {
  local results="$artifacts/test-results" failed=0 project name
  rm -rf "$results" && mkdir -p "$results"
  # Only what the tests need (their projects and what they reference), not the benchmarks.
  for project in "${test_projects[@]}"; do
    phase "build $(basename "$project")" dotnet build "$project" -c "$configuration" -tl:off || return 1
  done
  for project in "${test_projects[@]}"; do
    name=$(basename "$project")
    # A hung test host is killed (and reported) after 10 minutes instead of holding CI until its time limit. The
    # console logger and -tl:off print each suite's result line in a terminal as in a redirected log; the TRX file
    # is what .ci/run counts.
    phase "test $name" dotnet test "$project" -c "$configuration" --no-build -tl:off --blame-hang-timeout 10m \
      --logger "console;verbosity=minimal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" || failed=1
  done
  return $failed
}

# The two packages: ConcurrencyAnalyzers (analyzers, fixes, presets; depends on the runtime) and
# ConcurrencyAnalyzers.Runtime (the executors alone, for libraries), with one version.
package_projects=(src/ConcurrencyAnalyzers.Runtime src/ConcurrencyAnalyzers.Package)

# pack_into DIR [dotnet pack options...]
pack_into() {
  local out="$1" project
  shift
  mkdir -p "$out"
  for project in "${package_projects[@]}"; do
    dotnet pack "$project" -c "$configuration" -o "$out" -p:Version="$version" "$@" || return 1
  done
}

pack() {
  pack_into "$artifacts"
  echo "packed $artifacts/ConcurrencyAnalyzers.$version.nupkg and $artifacts/ConcurrencyAnalyzers.Runtime.$version.nupkg"
}

sample() {
  local feed="$artifacts/local-feed" packages="$artifacts/sample-packages"
  rm -rf "$feed" && mkdir -p "$feed" "$packages"
  local pack_log="$artifacts/sample-pack.log"
  phase "pack ConcurrencyAnalyzers and ConcurrencyAnalyzers.Runtime $version (log: $pack_log)" quiet "$pack_log" \
    pack_into "$feed"
  local package
  for package in "$feed"/*.nupkg; do echo "packed $package ($(du -k "$package" | cut -f1) KB)"; done
  local log="$artifacts/sample-build.log"
  # An isolated packages folder: the sample sees exactly the package just packed.
  phase "build samples/OrderService against the packed package (log: $log)" quiet "$log" \
    env NUGET_PACKAGES="$packages" dotnet build samples/OrderService/OrderService.csproj --no-incremental \
    -p:ConcurrencyAnalyzersVersion="$version" -p:RestoreAdditionalProjectSources="$feed" || { echo "sample build failed" >&2; exit 1; }
  echo "diagnostics reported by the packed package on samples/OrderService:"
  grep -oE '[^ /]+\.cs\([0-9]+,[0-9]+\): (warning|error) CONC[0-9]{3}: [^[]+' "$log" | sort -u || true
  echo "by rule:"
  grep -oE '[^ /]+\.cs\([0-9]+,[0-9]+\): (warning|error) CONC[0-9]{3}' "$log" | sort -u | grep -oE '(warning|error) CONC[0-9]{3}' | sort | uniq -c || true

  local fixed_log="$artifacts/sample-fixed-build.log"
  phase "build samples/OrderService.Fixed (log: $fixed_log)" quiet "$fixed_log" \
    env NUGET_PACKAGES="$packages" dotnet build samples/OrderService.Fixed/OrderService.Fixed.csproj --no-incremental \
    -p:ConcurrencyAnalyzersVersion="$version" -p:RestoreAdditionalProjectSources="$feed" || { echo "fixed sample build failed" >&2; exit 1; }
  echo "samples/OrderService.Fixed (the same service after the fixes): $(grep -oE '[^ /]+\.cs\([0-9]+,[0-9]+\): (warning|error) CONC[0-9]{3}' "$fixed_log" | sort -u | wc -l) diagnostics"
}

bench() {
  if [ ! -d benchmarks ]; then
    echo "no benchmark suites yet" >&2
    exit 2
  fi
  # ./build.sh bench analyzers [args]: the analyzer suites (docs/performance.md); ./build.sh bench runtime [args]: the
  # executors' suites; ./build.sh bench [args]: both, analyzers first.
  local suite="all"
  case "${1:-}" in analyzers|runtime) suite="$1"; shift ;; esac
  if [ "$suite" != "runtime" ]; then
    echo "== analyzer suites (benchmarks/ConcurrencyAnalyzers.Analyzers.Benchmarks)"
    dotnet run -c Release --project benchmarks/ConcurrencyAnalyzers.Analyzers.Benchmarks -- "$@"
  fi
  [ "$suite" = "analyzers" ] && return 0
  echo "== runtime suites (benchmarks/ConcurrencyAnalyzers.Runtime.Benchmarks)"
  dotnet run -c Release --project benchmarks/ConcurrencyAnalyzers.Runtime.Benchmarks -- "$@"
  # The process pool's counterpart: Python's ProcessPoolExecutor, same job, same machine, right after the suites.
  case " $* " in
    *" --memory "*) ;;
    *)
      if command -v python3 >/dev/null 2>&1; then
        python3 benchmarks/ConcurrencyAnalyzers.Runtime.Benchmarks/python/process_pool.py
      else
        echo "python3 not found: the ProcessPoolExecutor comparison was skipped" >&2
      fi ;;
  esac
}

case "${1:-all}" in
  all) build; run_tests; pack ;;
  test) run_tests ;;
  pack) pack ;;
  sample) sample ;;
  bench) shift; bench "$@" ;;
  *) echo "usage: $0 [test|pack|sample|bench]" >&2; exit 2 ;;
esac
