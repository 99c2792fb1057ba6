#!/usr/bin/env bats
# scripts/test.sh's own logic: the real test.sh and lib.sh, linked into a scratch repository whose
# scripts/install.sh has nothing to do and whose test projects are fakes; `dotnet` and `docker-compose` on PATH are
# stubs that print what the real ones print (the AppHost's servers get ready at once and run until stopped). A fake
# project's file says how its tests go.

setup() {
  REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  ROOT="$BATS_TEST_TMPDIR/repo"
  mkdir -p "$ROOT/scripts" "$BATS_TEST_TMPDIR/bin"
  ln -s "$REPO/scripts/test.sh" "$REPO/scripts/lib.sh" "$ROOT/scripts/"
  stub "$ROOT/scripts/install.sh" 'exit 0'
  stub "$BATS_TEST_TMPDIR/bin/docker-compose" '[ -n "${SHOP_SIGNING_KEY:-}" ]'
  stub "$BATS_TEST_TMPDIR/bin/dotnet" "$(cat <<'DOTNET'
if [[ "$1" == *Shop.AppHost.dll ]]; then
  echo "Servers are ready: PostgreSQL (stubbed)"; trap 'exit 0' INT TERM; while :; do sleep 0.1; done
fi
[ "$1" = test ] || exit 0
project=$2 filter=$(sed -nE 's/.*--filter (.*)/\1/p' <<<"$*")
dll="${project%/*}/bin/Debug/net10.0/$(basename "$project" .csproj).dll"
echo "Test run for $dll (.NETCoreApp,Version=v10.0)"
echo "A total of 1 test files matched the specified pattern."
case "$(cat "$project")" in
  matches-nothing) echo "No test matches the given testcase filter \`$filter\` in $dll" ;;
  passes) echo "Passed!  - Failed:     0, Passed:     3, Skipped:     0, Total:     3, Duration: 12 ms - ${dll##*/} (net10.0)" ;;
  fails) echo "Failed!  - Failed:     1, Passed:     2, Skipped:     0, Total:     3, Duration: 12 ms - ${dll##*/} (net10.0)"; exit 1 ;;
esac
DOTNET
)"
  PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}

stub() { printf '#!/usr/bin/env bash\n%s\n' "$2" >"$1" && chmod +x "$1"; }

project() { mkdir -p "$ROOT/tests/$1" && echo "$2" >"$ROOT/tests/$1/$1.csproj"; }

@test "--filter runs every project and names the one without a matching test in the summary" {
  project Alpha.Tests matches-nothing
  project Beta.Tests passes

  run "$ROOT/scripts/test.sh" --filter 'FullyQualifiedName~Beta'

  echo "$output"
  [ "$status" -eq 0 ]
  grep -E '^Alpha\.Tests +skipped +no test matches the filter$' <<<"$output"
  grep -E '^Beta\.Tests +passed +Passed! +- Failed: +0, Passed: +3' <<<"$output"
  grep -x 'ALL TESTS PASSED' <<<"$output"
}

@test "--filter runs the projects after a failing one and then fails" {
  project Alpha.Tests matches-nothing
  project Beta.Tests fails
  project Gamma.Tests passes

  run "$ROOT/scripts/test.sh" --filter 'FullyQualifiedName~Beta|FullyQualifiedName~Gamma'

  echo "$output"
  [ "$status" -eq 1 ]
  grep -E '^Alpha\.Tests +skipped +no test matches the filter$' <<<"$output"
  grep -E '^Beta\.Tests +FAILED +Failed! +- Failed: +1' <<<"$output"
  grep -E '^Gamma\.Tests +passed +Passed!' <<<"$output"
  grep -x 'SOME TESTS FAILED' <<<"$output"
}

@test "--filter that no test anywhere matches fails instead of passing nothing" {
  project Alpha.Tests matches-nothing
  project Beta.Tests matches-nothing

  run "$ROOT/scripts/test.sh" --filter 'FullyQualifiedName~Misspelt'

  echo "$output"
  [ "$status" -eq 1 ]
  grep -E '^--filter +FAILED +no test in any project matches FullyQualifiedName~Misspelt$' <<<"$output"
  grep -x 'SOME TESTS FAILED' <<<"$output"
}
