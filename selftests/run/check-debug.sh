#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check-debug": every selftest on a debug build of the kernel the
# normal VM boots (KASAN, kmemleak, lockdep with PROVE_RCU, atomic-sleep
# checks, UBSAN), with the hostile-input tests at full size, then a
# kmemleak scan with the project's modules unloaded and a check of the
# whole kernel log. See Documentation/robustness.rst.
#
#   1. selftests/vm/debug-kernel.sh builds the kernel once into its cache
#      (outside the repository) and reuses it afterwards;
#   2. the modules are built against that kernel's tree in
#      build/debug/src, a copy of the sources, so that the normal build
#      in the repository is left alone;
#   3. the selftests are shared out over CHECK_JOBS single-CPU VMs
#      running side by side (default: one per host CPU), longest first
#      by the times of the previous run;
#   4. in each VM, after its selftests: the project's modules are
#      unloaded, kmemleak scans twice and must report nothing, and the
#      kernel log of the whole boot must hold no BUG, WARNING, KASAN,
#      UBSAN or lockdep report.
#
# Prints the combined count as its last line, exactly "N passed, N
# failed", like "make check", and exits non-zero if anything failed.
#
# Environment: TESTS (a subset), CHECK_JOBS, FUZZ_COUNT (default
# 100000), FLOOD_COUNT (1000000), UNLOAD_COUNT (50), MALFORMED_COUNT
# (the test's default), TEST_TIMEOUT (seconds per script, default 14400),
# SLAB_TOLERANCE_KB (65536) and SLAB_BOUND_KB (131072) for the slab
# checks of fuzz_netlink.sh, unload_loop.sh and flood.sh,
# CHECK_DEBUG_MEM (MiB per VM, default 3072), CHECK_DEBUG_TIMEOUT
# (seconds per VM, default 43200), DEBUG_KCACHE (see debug-kernel.sh).

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LOGDIR=$REPO/build/check-debug
MODSRC=$REPO/build/debug/src
MAKE=${MAKE:-make}

# What the debug kernel must never say, anywhere in the log.
KLOG_BAD='(^|[^A-Za-z])BUG[: ]|WARNING:|Oops|general protection|refcount_t'
KLOG_BAD+='|UBSAN:|KASAN|possible circular locking|possible recursive locking'
KLOG_BAD+='|suspicious RCU usage|sleeping function called from invalid context'
KLOG_BAD+='|inconsistent lock state|bad unlock balance|held lock freed'
KLOG_BAD+='|lock held when returning|irq lock inversion'
KLOG_BAD+='|turning off the locking correctness validator'
KMEMLEAK=/sys/kernel/debug/kmemleak

# ------------------------------------------------------------ in the VM

# scan_kmemleak: two scans a few seconds apart, as an object must look
# unreferenced on consecutive scans with unchanged contents before it
# is reported; prints the report.
scan_kmemleak()
{
	echo scan >"$KMEMLEAK"
	sleep 5
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK"
}

in_vm()
{
	# lvs_unload: the selftests' own, which waits for namespaces still
	# being dismantled to let go of their schedulers.
	# shellcheck source=../lib.sh
	source "$HERE/../lib.sh"
	local out log leaks bad passed failed skipped n=0 pf=0

	log=$(mktemp)
	out=$(mktemp)
	# The boot leaves suspects of its own, before any of the project's
	# code ran; they are set aside so that the final scan reports only
	# what the selftests left.
	if [ -w "$KMEMLEAK" ]; then
		scan_kmemleak >"$out"
		echo "# kmemleak before the selftests: $(grep -c '^unreferenced object' "$out") boot-time suspect(s) set aside"
		echo clear >"$KMEMLEAK"
	fi

	"$HERE/run_all.sh" 2>&1 | tee "$log"

	passed=$(sed -nE 's/^([0-9]+) passed, [0-9]+ failed$/\1/p' "$log" | tail -n1)
	failed=$(sed -nE 's/^[0-9]+ passed, ([0-9]+) failed$/\1/p' "$log" | tail -n1)
	skipped=$(sed -nE 's/^# ([0-9]+) skipped$/\1/p' "$log" | tail -n1)
	[ -n "$passed" ] || { passed=0; failed=1; }

	echo "# debug kernel checks"
	n=$((n + 1))
	if lvs_unload >"$out" 2>&1; then
		echo "ok $n - the project's modules unload"
		pf=$((pf + 1))
	else
		echo "not ok $n - the project's modules unload"
		sed 's/^/# /' "$out"
		failed=$((failed + 1))
	fi

	n=$((n + 1))
	if [ -w "$KMEMLEAK" ]; then
		scan_kmemleak >"$out"
		leaks=$(grep -c '^unreferenced object' "$out")
		if [ "$leaks" = 0 ]; then
			echo "ok $n - kmemleak: no suspected leak after the selftests"
			pf=$((pf + 1))
		else
			echo "not ok $n - kmemleak: $leaks suspected leak(s) after the selftests"
			sed 's/^/# /' "$out" | head -n 400
			failed=$((failed + 1))
		fi
	else
		echo "not ok $n - kmemleak: $KMEMLEAK missing (not the debug kernel?)"
		failed=$((failed + 1))
	fi

	n=$((n + 1))
	bad=$(dmesg | grep -E "$KLOG_BAD")
	if [ -z "$bad" ]; then
		echo "ok $n - kernel log of the whole run: no BUG, WARNING, KASAN, UBSAN or lockdep report"
		pf=$((pf + 1))
	else
		echo "not ok $n - kernel log of the whole run: $(grep -c . <<<"$bad") report line(s)"
		dmesg | grep -E -B 2 -A 40 "$KLOG_BAD" | head -n 400 | sed 's/^/# /'
		failed=$((failed + 1))
	fi

	echo "# ${skipped:-0} skipped"
	echo "$((passed + pf)) passed, $failed failed"
	rm -f "$log" "$out"
	[ "$failed" = 0 ]
}

if [ "${1:-}" = --in-vm ]; then
	in_vm
	exit
fi

# ---------------------------------------------------------- on the host

# shellcheck source=suite.sh
source "$HERE/suite.sh"

mkdir -p "$LOGDIR"

give_up()
{
	echo "# $*"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
}

# A guess of each script's length on the debug kernel, in seconds, from
# the previous run when there was one.
est_time()
{
	local t

	t=$(awk -v n="$1" '$1 == n { print $2 }' "$LOGDIR/times" 2>/dev/null)
	if [ -z "$t" ]; then
		case $1 in
		fuzz_netlink | flood) t=3000 ;;
		unload_loop | malformed | badinput) t=1500 ;;
		*) t=300 ;;
		esac
	fi
	echo "$t"
}

# Longest first, each to the VM with the least work so far: GROUP[j]
# holds the names for VM j.
plan_groups()
{
	local t j best load=()

	for j in $(seq 0 $((jobs - 1))); do
		load[j]=0
		GROUP[j]=
	done
	while read -r _ t; do
		best=0
		for j in $(seq 1 $((jobs - 1))); do
			[ "${load[j]}" -lt "${load[best]}" ] && best=$j
		done
		load[best]=$((load[best] + $(est_time "$t")))
		GROUP[best]+="${GROUP[best]:+ }$t"
	done < <(for t in "${all_tests[@]}"; do
			echo "$(est_time "$t") $t"
		 done | sort -rn)
}

# Remember how long each script took, for the next run's plan.
save_times()
{
	local f

	for f in "$LOGDIR"/vm*.log; do
		sed -nE 's/^(not )?ok [0-9]+ selftests: ([^ ]+)\.sh .*, ([0-9]+)s\)$/\2 \3/p' "$f"
	done | awk '{ t[$1] = $2 } END { for (n in t) print n, t[n] }' |
		sort >"$LOGDIR/times.new"
	[ -s "$LOGDIR/times.new" ] || { rm -f "$LOGDIR/times.new"; return; }
	# Scripts not run this time keep their old figure.
	[ -f "$LOGDIR/times" ] &&
		awk 'NR == FNR { seen[$1] = 1; print; next } !seen[$1]' \
			"$LOGDIR/times.new" "$LOGDIR/times" >"$LOGDIR/times.tmp" &&
		mv "$LOGDIR/times.tmp" "$LOGDIR/times.new"
	mv "$LOGDIR/times.new" "$LOGDIR/times"
}

stage "dependencies"
"$SELFTESTS/vm/deps.sh" >"$LOGDIR/deps.log" 2>&1 ||
	{ cat "$LOGDIR/deps.log" >&2; give_up "dependencies failed"; }

stage "debug kernel (the first build takes about an hour)"
kstart=$(date +%s)
kcache=$("$SELFTESTS/vm/debug-kernel.sh" 2> >(tee "$LOGDIR/kernel.log" >&2) | tail -n1)
if [ -z "$kcache" ] || [ ! -d "$kcache/root" ]; then
	give_up "debug kernel build failed, see $LOGDIR/kernel.log"
fi
kbuilt=
for f in build-time rebuild-time; do
	[ -f "$kcache/$f" ] && [ "$(stat -c %Y "$kcache/$f")" -ge "$kstart" ] &&
		kbuilt=$f
done
if [ -n "$kbuilt" ]; then
	notes+=("debug kernel built: $(cat "$kcache/$kbuilt")")
else
	notes+=("debug kernel reused from $kcache (built from scratch in $(cat "$kcache/build-time" 2>/dev/null))")
fi

# The tools are the normal build's; the modules are built from a copy of
# their sources, so that the repository's own objects stay those of the
# Debian kernel.
build_modules()
{
	# shellcheck disable=SC2086
	$MAKE -C "$REPO" tools || return 1
	rm -rf "$MODSRC" && mkdir -p "$MODSRC" || return 1
	tar -C "$REPO" --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.a' \
		--exclude=modules.order --exclude=Module.symvers \
		-cf - Kbuild ip_vs_lite sched | tar -C "$MODSRC" -xf - || return 1
	# shellcheck disable=SC2086
	nice -n 10 $MAKE -C "$kcache/obj" M="$MODSRC" -j"$(nproc)" modules
}

stage "build against the debug kernel"
build_modules >"$LOGDIR/build.log" 2>&1 ||
	{ cat "$LOGDIR/build.log"; give_up "build failed, see above"; }
grep -E 'warning:|error:' "$LOGDIR/build.log" >&2

stage "selftests in the debug VM"
export FUZZ_COUNT=${FUZZ_COUNT:-100000}
export FLOOD_COUNT=${FLOOD_COUNT:-1000000}
export UNLOAD_COUNT=${UNLOAD_COUNT:-50}
export TEST_TIMEOUT=${TEST_TIMEOUT:-14400}
# KASAN keeps freed objects in its quarantine, counted as unreclaimable
# slab, and pads every object with redzones: slab growth says nothing
# about leaks on this kernel (a 1,000,000-SYN flood grew it by 18 MB,
# 100,000 fuzzed requests left 1.7 MB behind). kmemleak is the leak
# check here; the slab bounds only catch gross growth.
export SLAB_TOLERANCE_KB=${SLAB_TOLERANCE_KB:-65536}
export SLAB_BOUND_KB=${SLAB_BOUND_KB:-131072}
export VM_PASS_ENV="ADM LVS_MOD SCHED_PREFIX TESTS VERBOSE FUZZ_COUNT
FLOOD_COUNT UNLOAD_COUNT MALFORMED_COUNT TEST_TIMEOUT SLAB_TOLERANCE_KB
SLAB_BOUND_KB"
[ -n "${MALFORMED_COUNT:-}" ] && export MALFORMED_COUNT
export VM_KDIR=$kcache/root VM_MODDIR=$MODSRC
start=$(date +%s)
# shellcheck disable=SC2086
mapfile -t all_tests < <(suite_list)
jobs=$(suite_jobs "${#all_tests[@]}")
GROUP=()
plan_groups
suite_vms "debug selftests" --mem "${CHECK_DEBUG_MEM:-3072}" \
	--timeout "${CHECK_DEBUG_TIMEOUT:-43200}" \
	-- "$HERE/check-debug.sh" --in-vm
save_times
notes+=("selftests: $(($(date +%s) - start))s in $jobs VMs, including boot")
notes+=("logs: $LOGDIR")
suite_end
