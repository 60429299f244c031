#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make bench": ip_vs_lite against the kernel's IPVS, side by side. Two
# single-CPU qemu VMs boot at the same time on the same kernel, one
# running IPVS with ipvsadm, the other ip_vs_lite with lvsadm, and run
# selftests/bench/guest.sh in lock step, so that whatever else the host
# is doing slows both alike. Prints one table: the median of each row
# over the rounds for both, and the ratio ip_vs_lite / IPVS.
#
# A benchmark, not a test: nothing here passes or fails on a number.
#
# Environment:
#   BENCH_ROUNDS   rounds of every measurement (default 5; quick: 1)
#   BENCH_QUICK    1: one round, short windows, small sizes
#   BENCH_NSVC     services in the control-plane rows (default 10000)
#   BENCH_NBIG     live connections of the large scale row (default
#                  1000000), BENCH_SCHED_RS real servers per scheduler
#                  row (default "10 1000"): passed on to the guests
#   BENCH_PHASES   the groups of rows to run, of "forwarding sched
#                  control scale" (default: all); passed on to the guests
#   BENCH_MEM      MiB of memory per VM (default 2048)
#   BENCH_DOC      1: write the table into Documentation/performance.rst
#                  (never for a run of some BENCH_PHASES only)
#                  (default: 1 for full runs, 0 with BENCH_QUICK=1)
#
# Results go to build/bench/: each VM's console log (ipvs.log,
# lite.log) and the table (table.txt, table.rst).

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=$REPO/build/bench

BENCH_QUICK=${BENCH_QUICK:-0}
if [ "$BENCH_QUICK" = 1 ]; then
	BENCH_ROUNDS=${BENCH_ROUNDS:-1}
	BENCH_NSVC=${BENCH_NSVC:-200}
	BENCH_DOC=${BENCH_DOC:-0}
	TIMEOUT=1800
else
	BENCH_ROUNDS=${BENCH_ROUNDS:-5}
	BENCH_NSVC=${BENCH_NSVC:-10000}
	BENCH_DOC=${BENCH_DOC:-1}
	TIMEOUT=5400
fi
# A partial run leaves the full table in the documentation alone.
[ -z "${BENCH_PHASES:-}" ] || BENCH_DOC=0
BENCH_MEM=${BENCH_MEM:-2048}
export BENCH_QUICK BENCH_ROUNDS BENCH_PHASES

log()
{
	echo "bench: $*" >&2
}

# NSVC services on 203.0.113.0/24, 100 ports each, with 10 real servers
# each on 198.51.100.0/24: a rules file both ipvsadm -R and lvsadm -R read.
gen_rules()
{
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			svc = sprintf("-t 203.0.113.%d:%d", int(i / 100) + 1,
				      8000 + i % 100)
			printf "-A %s -s wlc\n", svc
			for (d = 1; d <= 10; d++)
				printf "-a %s -r 198.51.100.%d -g -w 1\n", svc, d
		}
	}'
}

# start_vm SYS: one VM in the background, its console in build/bench;
# its pid in $!.
start_vm()
{
	local sys=$1

	BENCH_SYS=$sys QEMU="$HERE/qemu.sh" \
	VM_PASS_ENV="BENCH_SYS BENCH_ROUNDS BENCH_QUICK BENCH_CONNRATE BENCH_RULES BENCH_NBIG BENCH_SCHED_RS BENCH_PHASES" \
		"$REPO/selftests/vm/run.sh" --smp 1 --mem "$BENCH_MEM" \
		--timeout "$TIMEOUT" -- "$HERE/guest.sh" >"$OUT/$sys.log" 2>&1 &
}

# sample_cpu SYS RUNPID: every 50 ms, the host's clock and the CPU time
# (ns) of the thread that runs the guest's CPU, for report.py to turn
# the guest's measurement windows into host CPU time. The emulator is
# run.sh's child; qemu.sh has its threads named.
sample_cpu()
{
	local sys=$1 run=$2 q='' tid='' t ns _

	for _ in $(seq 600); do
		q=$(pgrep -P "$run" -x qemu-system-x86) && break
		sleep 0.5
	done
	[ -n "$q" ] || return 0
	for _ in $(seq 600); do
		for t in /proc/"$q"/task/*; do
			[ "$(cat "$t/comm" 2>/dev/null)" = "CPU 0/TCG" ] && tid=${t##*/}
		done
		[ -n "$tid" ] && break
		sleep 0.5
	done
	[ -n "$tid" ] || return 0
	# On a busy host a sampler at normal priority wakes late and
	# unevenly; at a real-time priority it takes microseconds on time.
	chrt -f -p 10 "$BASHPID" >/dev/null 2>&1 || true
	while read -r ns _ 2>/dev/null <"/proc/$q/task/$tid/schedstat"; do
		echo "$EPOCHREALTIME $ns"
		sleep 0.05
	done >"$OUT/$sys.cpu"
}

# Until run.sh has its initramfs and module tree ready, so that two
# run.sh never rebuild the same initramfs at once.
wait_booting()
{
	local _

	for _ in $(seq 600); do
		grep -q 'project module' "$1" 2>/dev/null && return 0
		sleep 0.5
	done
}

# The VMs and samplers still running (none after a normal end), and
# the meeting directory.
cleanup()
{
	local pid

	for pid in $pid_ipvs $pid_lite "${samplers[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	rm -rf "$sync"
}

main()
{
	local rc_ipvs=0 rc_lite=0 start load0 doc=()

	mkdir -p "$OUT"
	if [ ! -x "$REPO/tools/lvsadm/lvsadm" ] ||
	   [ ! -f "$REPO/ip_vs_lite/ip_vs_lite.ko" ]; then
		log "build first: make all"
		exit 1
	fi
	command -v ipvsadm >/dev/null || { log "ipvsadm missing"; exit 1; }

	BENCH_CONNRATE=$OUT/connrate
	${CC:-cc} -O2 -Wall -Wextra -o "$BENCH_CONNRATE" "$HERE/connrate.c"
	BENCH_RULES=$OUT/rules-$BENCH_NSVC.txt
	[ -s "$BENCH_RULES" ] || gen_rules "$BENCH_NSVC" >"$BENCH_RULES"
	export BENCH_CONNRATE BENCH_RULES BENCH_NBIG BENCH_SCHED_RS

	sync=$(mktemp -d "$OUT/sync.XXXXXX")
	export BENCH_SYNC=$sync
	pid_ipvs='' pid_lite='' samplers=()
	rm -f "$OUT"/*.cpu
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	start=$(date +%s)
	load0=$(cut -d' ' -f1 /proc/loadavg)
	log "two VMs, $BENCH_ROUNDS round(s)$([ "$BENCH_QUICK" = 1 ] && echo ", quick"); logs in $OUT"
	start_vm ipvs
	pid_ipvs=$!
	sample_cpu ipvs $pid_ipvs &
	samplers+=($!)
	wait_booting "$OUT/ipvs.log"
	start_vm lite
	pid_lite=$!
	sample_cpu lite $pid_lite &
	samplers+=($!)
	wait "$pid_ipvs" || rc_ipvs=$?
	wait "$pid_lite" || rc_lite=$?
	pid_ipvs='' pid_lite=''
	wait "${samplers[@]}"
	samplers=()
	[ $rc_ipvs = 0 ] || log "IPVS VM ended with $rc_ipvs, see $OUT/ipvs.log"
	[ $rc_lite = 0 ] || log "ip_vs_lite VM ended with $rc_lite, see $OUT/lite.log"

	[ "$BENCH_DOC" = 1 ] && doc=(--doc "$REPO/Documentation/performance.rst")
	python3 "$HERE/report.py" --ipvs "$OUT/ipvs.log" --lite "$OUT/lite.log" \
		--ipvs-cpu "$OUT/ipvs.cpu" --lite-cpu "$OUT/lite.cpu" \
		--rounds "$BENCH_ROUNDS" --quick "$BENCH_QUICK" \
		--seconds $(($(date +%s) - start)) \
		--load "$load0 $(cut -d' ' -f1 /proc/loadavg)" \
		--rst "$OUT/table.rst" \
		"${doc[@]}" |
		tee "$OUT/table.txt"
}

main "$@"
