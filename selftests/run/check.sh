#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check": install what is missing, build everything, run the host
# unit tests, then every selftest in one qemu VM. Prints the combined
# count as its last line, exactly "N passed, N failed" (unit test cases
# plus selftest TAP test points; a stage that breaks without counting
# adds one failure), and exits non-zero if anything failed.

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LOGDIR=$REPO/build/check
MAKE=${MAKE:-make}

# shellcheck source=suite.sh
source "$HERE/suite.sh"

mkdir -p "$LOGDIR"

stage "dependencies"
if ! "$SELFTESTS/vm/deps.sh" >"$LOGDIR/deps.log" 2>&1; then
	cat "$LOGDIR/deps.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

stage "build"
$MAKE -C "$REPO" all 2>&1 | tee "$LOGDIR/build.log"
if [ "${PIPESTATUS[0]}" != 0 ]; then
	echo "# build failed, see above"
	echo "0 passed, 1 failed"
	exit 1
fi

for tool in lvsadm lvs-healthd; do
	[ -f "$REPO/tools/$tool/Makefile" ] || continue
	stage "$tool unit tests (ASan, UBSan)"
	$MAKE -s -C "$REPO/tools/$tool" test 2>&1 | tee "$LOGDIR/unit-$tool.log"
	add_counts "$tool unit tests" "$LOGDIR/unit-$tool.log" "${PIPESTATUS[0]}"
done

# The selftests, split over CHECK_JOBS single-CPU VMs running side by
# side (default: one per host CPU, at most 4), each running its share of
# the scripts in turn.
stage "selftests in the VM"
start=$(date +%s)
all_tests=()
smp_tests=()
while read -r t; do
	if suite_smp "$t"; then smp_tests+=("$t"); else all_tests+=("$t"); fi
done < <(suite_list)
jobs=$(suite_jobs "${#all_tests[@]}")
GROUP=()
for i in "${!all_tests[@]}"; do
	GROUP[i % jobs]+="${GROUP[i % jobs]:+ }${all_tests[$i]}"
done
suite_vms selftests -- "$HERE/run_all.sh"
notes+=("selftests: $(($(date +%s) - start))s in $jobs VMs, including boot")

# Then, alone on the host, the ones that need two CPUs.
if [ ${#smp_tests[@]} -gt 0 ]; then
	stage "selftests in a VM of two CPUs"
	start=$(date +%s)
	TESTS="${smp_tests[*]}" "$SELFTESTS/vm/run.sh" --smp 2 -- \
		"$HERE/run_all.sh" >"$LOGDIR/vm-smp.log" 2>&1
	rc=$?
	cat "$LOGDIR/vm-smp.log"
	add_counts "selftests (two CPUs)" "$LOGDIR/vm-smp.log" $rc
	notes+=("selftests on two CPUs: $(($(date +%s) - start))s, including boot")
fi
suite_end
