#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wrr and connection thresholds, through real traffic: being over the
# upper threshold (-x) only makes a real server skipped while it lasts;
# the weight cycle (largest weight, gcd) comes from the weights alone.
# The servers are edited while over their thresholds, first rs1 alone,
# then both; once the load is gone, new flows must be answered again and
# split 2:1 by weight, as a rotation of "rs1 rs1 rs2" (a cycle computed
# from the servers usable at the edit split 1:1, or answered none).
#
# Every UDP flow is an inactive entry for 10 s (--set 0 0 10), so a burst
# of datagrams from fresh source ports is the load, and the entries
# expiring release it. The thresholds, 4 and 2 (twice the weight), let a
# burst of 6 show two whole cycles before both servers are full.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)   VIP on lo     VIP on lo
#       |                 |               -w 2 -x 4     -w 1 -x 2
#  =====+=================+=========br0=======+=============+=====
#
#  cli -> UDP VIP:53 -> dir (wrr, -g) -> rs1 | rs2 (peer.py udp-serve,
#  bound to the VIP) -> cli

source "$(dirname "$0")/lib.sh"

# -S: no site module, whose path scans are slow on the VM's 9p root.
PEER=(python3 -S "$LIB_DIR/peer.py")
SVC="$VIP:53"
# Two wrr 2:1 cycles, one after the other: any 6 picks in a row, whatever
# the phase they start at, are 6 consecutive words of this. Only the
# phase is left open, so that the script also holds for kernel IPVS
# (ADM=ipvsadm LVS_MOD=ip_vs), whose first round starts elsewhere.
CYCLES="rs1 rs1 rs2 rs1 rs1 rs2 rs1 rs1 rs2 rs1 rs1 rs2"

lvs_test_begin 17 lvs_cleanup cmd_require python3

sched_require wrr
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
for ns in rs1 rs2; do
	lvs_bg ip netns exec "$ns" "${PEER[@]}" udp-serve "$ns" 53 "$VIP"
done
if ! wait_udp rs1 53 || ! wait_udp rs2 53; then
	ktap_fail "topology"
	ktap_finish
fi

# flows N PORT: N datagrams, all sent before any answer is awaited, from
# source ports PORT and up (each a new flow); the servers that answered,
# in order, "none" for each left unanswered.
flows()
{
	local n=$1 port=$2 args=() i

	for ((i = 0; i < n; i++)); do
		args+=("$((port + i)):53")
	done
	ip netns exec cli "${PEER[@]}" udp-flows "$VIP" "${args[@]}" |
		awk '{ print $1 == "timeout" ? "none" : $1 }' | xargs
}

# wrr_2to1 WORDS...: six picks, two whole 2:1 cycles in some phase.
wrr_2to1()
{
	[ $# = 6 ] && [[ " $CYCLES " == *" $* "* ]]
}

# inact: InActConn of rs1 and rs2, the UDP entries they hold.
inact()
{
	echo "$(dest_field "UDP $SVC" "$RIP1:53" inactive)" \
		"$(dest_field "UDP $SVC" "$RIP2:53" inactive)"
}

# drained [rs1]: true once both servers (or rs1 only) hold no entry.
drained()
{
	local conns

	read -ra conns <<<"$(inact)"
	[ "${conns[0]}" = 0 ] && { [ "$1" = rs1 ] || [ "${conns[1]}" = 0 ]; }
}

ktap_check "UDP wrr service, rs1 -w 2 -x 4, rs2 -w 1 -x 2, UDP timeout 10 s" \
	adm_batch "--set 0 0 10" "-A -u $SVC -s wrr" \
	"-a -u $SVC -r $RIP1 -g -w 2 -x 4" "-a -u $SVC -r $RIP2 -g -w 1 -x 2"

# ---- only the heavier server over its threshold at the edit
read -ra got <<<"$(flows 6 40000)"
wrr_2to1 "${got[@]}"
ktap_result "6 flows split 2:1 until both reach their thresholds (${got[*]})" $?
ktap_check "-e rs2 without a threshold while rs1 is over its own" \
	adm -e -u "$SVC" -r "$RIP2" -g -w 1 -x 0
ktap_eq "rs1 over its threshold: 2 new flows go to rs2" "rs2 rs2" \
	"$(flows 2 40010)"

wait_until -i 1 40 drained rs1
ktap_result "rs1's entries expire: InActConn $(inact)" $?

read -ra got <<<"$(flows 6 40020)"
wrr_2to1 "${got[@]}"
ktap_result "rs1 back: 6 new flows split 2:1 by weight (${got[*]})" $?

# ---- every server over its threshold at the edit
wait_until -i 1 40 drained
ktap_result "all entries expire: InActConn $(inact)" $?
ktap_check "-e rs2 -x 2 again, no server loaded" \
	adm -e -u "$SVC" -r "$RIP2" -g -w 1 -x 2

read -ra got <<<"$(flows 6 40030)"
wrr_2to1 "${got[@]}"
ktap_result "6 flows split 2:1 until both reach their thresholds (${got[*]})" $?
ktap_check "-e rs1 with the same weight and threshold" \
	adm -e -u "$SVC" -r "$RIP1" -g -w 2 -x 4
ktap_eq "after the edit both are still at their thresholds (InActConn)" \
	"4 2" "$(inact)"
ktap_eq "all over their thresholds: a new flow is not answered" \
	none "$(flows 1 40040)"

wait_until -i 1 40 drained
ktap_result "the entries expire: InActConn $(inact)" $?

# The 7th flow finds both full again: the walk must end without a server.
read -ra got <<<"$(flows 7 40050)"
answered=0
for w in "${got[@]:0:6}"; do
	[ "$w" != none ] && answered=$((answered + 1))
done
ktap_eq "load gone: new flows answered" "6 of 6" "$answered of 6"
wrr_2to1 "${got[@]:0:6}"
ktap_result "they split 2:1 by weight (${got[*]:0:6})" $?
ktap_eq "both at their thresholds again: the 7th flow is not answered" \
	none "${got[6]:-}"

adm -C
dmesg_check
ktap_finish
