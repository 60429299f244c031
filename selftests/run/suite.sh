# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What run_all.sh, check.sh and check-debug.sh share: which scripts are
# selftests, and the counting of "make check" and "make check-debug".
# Sourced; sets SELFTESTS to the selftests/ directory.

SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# suite_list: the selftests by name, without .sh: TESTS if set, else
# every selftests/*.sh but the library.
suite_list()
{
	local t

	if [ -n "${TESTS:-}" ]; then
		for t in $TESTS; do
			echo "${t%.sh}"
		done
		return
	fi
	for t in "$SELFTESTS"/*.sh; do
		[ "$t" = "$SELFTESTS/lib.sh" ] && continue
		basename "$t" .sh
	done
}

# suite_smp NAME: true if the selftest NAME needs a VM of two CPUs, as its
# header says with a line "# VM: smp 2" (races that one CPU cannot show).
suite_smp()
{
	grep -qx '# VM: smp 2' "$SELFTESTS/$1.sh"
}

# suite_jobs N: how many VMs for N scripts: CHECK_JOBS, by default one
# per host CPU, at most 4 and at most N.
suite_jobs()
{
	local jobs=${CHECK_JOBS:-$(nproc)}

	[ "$jobs" -gt 4 ] && jobs=4
	[ "$jobs" -gt "$1" ] && jobs=$1
	[ "$jobs" -lt 1 ] && jobs=1
	echo "$jobs"
}

passed=0
failed=0
notes=()

# add_counts STAGE LOG RC: add the last "N passed, N failed" of LOG; a
# stage that failed without a failed count counts one failure.
add_counts()
{
	local stage=$1 log=$2 rc=$3 line p=0 f=0

	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		notes+=("$stage: exit status $rc without a failed count")
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	notes+=("$stage: $p passed, $f failed")
}

# suite_vms LABEL RUN-ARGS...: the selftests of GROUP[j] in VM j, all
# VMs side by side, each "vm/run.sh --smp 1 RUN-ARGS" with TESTS set to
# its group; each VM's log goes to $LOGDIR/vmJ.log, then to stdout, and
# its count is added as "LABEL (VM J of N)".
suite_vms()
{
	local label=$1 j rc pids=()

	shift
	rm -f "$LOGDIR"/vm*.log
	for j in "${!GROUP[@]}"; do
		# An empty TESTS would run every selftest.
		[ -n "${GROUP[j]}" ] || continue
		echo "# VM $((j + 1)): ${GROUP[j]}" >&2
		TESTS="${GROUP[j]}" "$SELFTESTS/vm/run.sh" --smp 1 "$@" \
			>"$LOGDIR/vm$j.log" 2>&1 &
		pids+=($!)
	done
	for j in "${!pids[@]}"; do
		wait "${pids[$j]}"
		rc=$?
		cat "$LOGDIR/vm$j.log"
		add_counts "$label (VM $((j + 1)) of ${#pids[@]})" \
			"$LOGDIR/vm$j.log" $rc
	done
}

stage()
{
	echo "=== $* ===" >&2
}

# suite_end: the notes, then the count as the last line; the exit status
# says whether anything failed.
suite_end()
{
	local n

	for n in "${notes[@]}"; do
		echo "# $n"
	done
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
