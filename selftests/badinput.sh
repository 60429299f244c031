#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input is refused cleanly: every bad command exits non-zero, prints
# exactly one line on stderr, and leaves the configuration as it was
# ("$ADM -Sn" before and after). Then raw IPVS_LITE netlink messages
# that the admin tool would never send (missing, unknown, oversized or
# mistyped attributes) must be rejected by the kernel with an extended
# ack message.
#
#          dir (netns)
#   VIP:25 rr -> 192.0.2.7, 192.0.2.8
#
# No traffic: only the configuration interface is exercised.

source "$(dirname "$0")/lib.sh"

NLTEST=${NLTEST:-$REPO_DIR/tools/nltest/ipvl-nl}
NL_CASES="missing-addr unknown-attr oversized-addr bad-af long-sched-name
wrong-type weight-range"

# name|arguments|why the reference tool differs ("" if it does not)
CASES=(
"malformed VIP|-A -t 192.0.2.300:25 -s rr|"
"VIP port 0|-A -t $VIP:0 -s rr|"
"VIP port 65536|-A -t $VIP:65536 -s rr|"
"real server port 65536|-a -t $VIP:25 -r $RIP3:65536|"
"unknown scheduler|-A -t $VIP:26 -s nosuch|"
"scheduler name too long|-A -t $VIP:26 -s $(printf 's%.0s' $(seq 40))|"
"duplicate service|-A -t $VIP:25 -s wlc|"
"duplicate real server|-a -t $VIP:25 -r $RIP1 -g|"
"real server for a missing service|-a -t $VIP:27 -r $RIP1 -g|"
"weight -1|-a -t $VIP:25 -r $RIP3 -g -w -1|"
"weight 65536|-a -t $VIP:25 -r $RIP3 -g -w 65536|ipvsadm and IPVS accept weights up to INT_MAX"
"weight not a number|-a -t $VIP:25 -r $RIP3 -g -w x|"
"edit a missing real server|-e -t $VIP:25 -r $RIP3 -g -w 2|"
"delete a missing real server|-d -t $VIP:25 -r $RIP3|"
"delete a missing service|-D -t $VIP:99|"
"add a service without -t/-u|-A -s rr|"
)

lvs_test_begin $((${#CASES[@]} + $(wc -w <<<"$NL_CASES") + 3))

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
setup_ns "$DIR_NS"
lvs_workdir

ktap_check "base configuration: VIP:25 rr with rs1, rs2" \
	adm_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
	"-a -t $VIP:25 -r $RIP2 -g -w 2"
adm -Sn >"$LVS_WORK/before" 2>&1

# One bad command: non-zero exit, one line on stderr, nothing changed.
bad_case()
{
	local name=$1 args=$2 why=$3 rc nerr problems=

	if [ -n "$why" ] && [ "$ADM" = ipvsadm ]; then
		ktap_skip "$name refused" "$why"
		return
	fi
	# shellcheck disable=SC2086
	adm $args >"$LVS_WORK/out" 2>"$LVS_WORK/err"
	rc=$?
	adm -Sn >"$LVS_WORK/after" 2>&1
	nerr=$(grep -c . "$LVS_WORK/err")

	[ $rc -ne 0 ] || problems+=" exit status 0;"
	[ "$nerr" = 1 ] || problems+=" $nerr lines on stderr;"
	cmp -s "$LVS_WORK/before" "$LVS_WORK/after" ||
		problems+=" configuration changed;"
	if [ -z "$problems" ]; then
		ktap_ok "$name refused: $(head -c 120 "$LVS_WORK/err")"
		return
	fi
	ktap_fail "$name refused ($ADM $args)"
	ktap_diag "problems:$problems exit $rc"
	ktap_diag_file "$LVS_WORK/err"
	diff "$LVS_WORK/before" "$LVS_WORK/after" | ktap_diag_file /dev/stdin
	adm -C
	adm -R <"$LVS_WORK/before"
}

for c in "${CASES[@]}"; do
	IFS='|' read -r name args why <<<"$c"
	bad_case "$name" "$args" "$why"
done

# ---- raw netlink: the kernel validates what the tool never sends
nl_reason=
if [ "$LVS_MOD" != ip_vs_lite ]; then
	nl_reason="IPVS_LITE netlink family needs ip_vs_lite (testing $LVS_MOD)"
elif [ ! -x "$NLTEST" ]; then
	nl_reason="$NLTEST not built"
fi
for c in $NL_CASES; do
	if [ -n "$nl_reason" ]; then
		ktap_skip "netlink $c rejected with extack" "$nl_reason"
		continue
	fi
	out=$(ip netns exec "$DIR_NS" "$NLTEST" "$c" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -n "$out" ]; then
		ktap_ok "netlink $c rejected with extack: $out"
	else
		ktap_fail "netlink $c rejected with extack (exit $rc)"
		ktap_diag "$out"
	fi
done

adm -Sn >"$LVS_WORK/after" 2>&1
ktap_check "configuration unchanged after all of the above" \
	diff "$LVS_WORK/before" "$LVS_WORK/after"

dmesg_check
ktap_finish
