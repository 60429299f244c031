#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The IPVS_LITE netlink family under random and mutated requests
# (tools/nltest/ipvl-fuzz): every command and out-of-range ones, odd
# attribute types, lengths and nests, boundary values, flipped bytes,
# truncation, lying headers and NLM_F_DUMP everywhere.
#
#  1. as root in a netns of its own: intact requests the kernel accepts
#     must read back as sent, and the accepted changes replayed in a
#     fresh netns must give the same table;
#  2. the same as an unprivileged user in a user namespace that owns
#     its network namespace (unshare -U -r -n): changes are allowed there;
#  3. as uid 65534 in the initial netns: every request, listings
#     included, must be refused with EPERM, and the table (set up
#     beforehand by root) must end as it began.
#
# Afterwards nothing may be left behind: the scheduler modules and
# ip_vs_lite unload (no reference leaked), unreclaimable slab is back
# where it was within SLAB_TOLERANCE_KB, kmemleak (when the kernel has
# it) finds nothing of ours, and dmesg has no BUG/WARNING/Oops.
#
#   netns fz1 (root)         user+net ns (uid 65534)    initial netns
#   ipvl-fuzz --twin         ipvl-fuzz --twin           ipvl-fuzz --expect-eperm
#     `-> unshared twin        `-> unshared twin          (uid 65534)
#
# Environment: FUZZ_COUNT requests for the root run (default 20000; a
# quarter of it for each of the other two), FUZZ_SEED (default 1).

source "$(dirname "$0")/lib.sh"

FUZZ=${FUZZ:-$REPO_DIR/tools/nltest/ipvl-fuzz}
FUZZ_COUNT=${FUZZ_COUNT:-20000}
FUZZ_SEED=${FUZZ_SEED:-1}
# Unreclaimable slab moves by some hundreds of KiB on an idle VM
# (per-CPU caches, RCU batches, netns teardown still in flight).
SLAB_TOLERANCE_KB=${SLAB_TOLERANCE_KB:-1024}
NOBODY=65534
SUB_COUNT=$((FUZZ_COUNT / 4))
VIP_INIT=192.0.2.1

cleanup()
{
	[ -n "$ADM_BIN" ] && "$ADM_BIN" -C >/dev/null 2>&1
	lvs_cleanup
}

fuzz_require()
{
	[ -x "$FUZZ" ] || ktap_skip_all "$FUZZ not built"
	cmd_require setpriv
}

lvs_test_begin 9 cleanup fuzz_require
lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_workdir

# uid 65534 must be able to run the fuzzer wherever the tree lives.
BIN=$LVS_WORK/ipvl-fuzz
install -m 0755 "$FUZZ" "$BIN"
chmod 0755 "$LVS_WORK"

# fuzz_run DESC LOG CMD...: one test point from a fuzzer run; its
# summary lines become diagnostics, all of its output on failure.
fuzz_run()
{
	local desc=$1 log=$2 start rc

	shift 2
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	ktap_result "$desc ($(($(date +%s) - start)) s)" $rc
	if [ $rc -eq 0 ]; then
		ktap_diag "$(grep '^# ' "$log" | sed 's/^# //')"
	else
		ktap_diag_file "$log"
	fi
}

# ---- warm-up: what the kernel builds lazily on first use is built;
# the baseline is taken, as the final figure will be, with no module
# of ours loaded and no netns left.
setup_ns fz0
ip netns exec fz0 "$BIN" --seed 999 --count 1500 >"$LVS_WORK/warm" 2>&1
cleanup_ns fz0
if lvs_unload; then
	slab0=$(slab_settled)
	ktap_ok "warm-up run, modules unloaded: SUnreclaim ${slab0} kB"
else
	slab0=$(slab_settled)
	ktap_fail "warm-up run, modules unloaded"
fi
lvs_load || { ktap_fail "reload $LVS_MOD"; ktap_finish; }

# ---- 1. root in its own netns, replayed in a twin netns
setup_ns fz1
fuzz_run "root: $FUZZ_COUNT requests (seed $FUZZ_SEED), read-back and twin replay agree" \
	"$LVS_WORK/root" ip netns exec fz1 "$BIN" --twin \
	--seed "$FUZZ_SEED" --count "$FUZZ_COUNT"
cleanup_ns fz1

# ---- 2. unprivileged user owning a user and network namespace
userns_ok()
{
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		unshare -U -r -n true 2>/dev/null
}

if userns_ok; then
	fuzz_run "user namespace as uid $NOBODY: $SUB_COUNT requests, twin replay agrees" \
		"$LVS_WORK/userns" setpriv --reuid=$NOBODY --regid=$NOBODY \
		--clear-groups unshare -U -r -n "$BIN" --twin \
		--seed $((FUZZ_SEED + 1)) --count "$SUB_COUNT"
else
	ktap_skip "user namespace run" "unprivileged user namespaces disabled"
fi

# ---- 3. uid 65534 in the initial netns: EPERM for every request
eperm_setup()
{
	"$ADM_BIN" -C &&
	"$ADM_BIN" -A -t "$VIP_INIT:80" -s rr &&
	"$ADM_BIN" -a -t "$VIP_INIT:80" -r 198.51.100.7 -g -w 3 &&
	"$ADM_BIN" -A -u "$VIP_INIT:53" -s wlc &&
	"$ADM_BIN" -A -f 1 -s sh
}

if eperm_setup; then
	"$BIN" --dump >"$LVS_WORK/init.before" 2>&1
	fuzz_run "uid $NOBODY in the initial netns: $SUB_COUNT requests, every one EPERM, listings too" \
		"$LVS_WORK/eperm" setpriv --reuid=$NOBODY --regid=$NOBODY \
		--clear-groups "$BIN" --expect-eperm \
		--seed $((FUZZ_SEED + 2)) --count "$SUB_COUNT"
	"$BIN" --dump >"$LVS_WORK/init.after" 2>&1
	ktap_check "initial netns table unchanged" \
		diff -u "$LVS_WORK/init.before" "$LVS_WORK/init.after"
else
	ktap_fail "uid $NOBODY in the initial netns: root could not set up services"
	ktap_fail "initial netns table unchanged"
fi
"$ADM_BIN" -C

# ---- nothing left behind
ktap_check "schedulers and $LVS_MOD unload: no module reference leaked" \
	lvs_unload

slab1=$(slab_settled)
delta=$((slab1 - slab0))
ktap_diag "SUnreclaim: ${slab0} kB before, ${slab1} kB after, delta ${delta} kB (tolerance ${SLAB_TOLERANCE_KB} kB)"
[ "$delta" -le "$SLAB_TOLERANCE_KB" ]
ktap_result "unreclaimable slab back within ${SLAB_TOLERANCE_KB} kB (delta ${delta} kB)" $?

KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w "$KMEMLEAK" ]; then
	# An object is reported only once it looks unreferenced on two
	# scans in a row, a few seconds apart.
	echo scan >"$KMEMLEAK"
	sleep 5
	echo scan >"$KMEMLEAK"
	leaks=$(grep -c 'ip_vs_lite\|ipvl_' "$KMEMLEAK")
	ktap_eq "kmemleak: nothing allocated by $LVS_MOD leaked" 0 "$leaks"
	[ "$leaks" = 0 ] || ktap_diag "$(grep -B 5 -A 15 'ip_vs_lite\|ipvl_' "$KMEMLEAK" | head -n 60)"
else
	ktap_skip "kmemleak" "not in this kernel"
fi

lvs_load
dmesg_check
ktap_finish
