#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every selftest script (selftests/*.sh but the library, see
# suite.sh), kselftest style: each script's TAP output is nested as "# "
# diagnostics, each script is one top-level test point.
#
# The closing line counts TAP test points, not scripts:
#   passed  = "ok" lines without "# SKIP"
#   failed  = "not ok" lines, plus one for each script that exited with
#             a failure (or timed out) without reporting a "not ok"
#   skipped = "ok ... # SKIP" lines, plus one for each script that
#             skipped as a whole ("1..0 # SKIP")
# and is exactly "N passed, N failed"; the skipped count is on the line
# before it. The exit status is 1 if anything failed.
#
# Environment: TESTS="walkthrough weights" runs only those scripts;
# TEST_TIMEOUT (seconds, default 600) bounds each script.

HERE=$(cd "$(dirname "$0")" && pwd)
TEST_TIMEOUT=${TEST_TIMEOUT:-600}

# shellcheck source=suite.sh
source "$HERE/suite.sh"

mapfile -t tests < <(suite_list | sed "s|^|$SELFTESTS/|; s|\$|.sh|")

passed=0
failed=0
skipped=0
num=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "TAP version 13"
echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	name=$(basename "$t")
	num=$((num + 1))
	echo "# selftests: $name"
	start=$(date +%s)
	if [ -r "$t" ]; then
		timeout -k 10 "$TEST_TIMEOUT" bash "$t" 2>&1 </dev/null |
			tee "$log" | sed -u 's/^/# /'
		rc=${PIPESTATUS[0]}
	else
		echo "# $name: not found" | tee "$log"
		rc=1
	fi
	secs=$(($(date +%s) - start))

	p=$(grep -Ec '^ok [0-9]+' "$log")
	s=$(grep -Ec '^ok [0-9]+.*# SKIP' "$log")
	f=$(grep -Ec '^not ok [0-9]+' "$log")
	p=$((p - s))
	if [ "$rc" = 4 ] && grep -q '^1\.\.0' "$log"; then
		s=$((s + 1))
	elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$f" = 0 ]; then
		[ "$rc" = 124 ] && echo "# $name: timed out after ${TEST_TIMEOUT}s"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))

	summary="$name: $p passed, $f failed, $s skipped, exit $rc, ${secs}s"
	if [ "$rc" = 4 ]; then
		echo "ok $num selftests: $name # SKIP ($summary)"
	elif [ "$rc" = 0 ] && [ "$f" = 0 ]; then
		echo "ok $num selftests: $name ($summary)"
	else
		echo "not ok $num selftests: $name ($summary)"
	fi
done

echo "# $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
