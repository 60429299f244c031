#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload ip_vs_lite and its schedulers over and over with
# traffic flowing. Each round:
#   1. modprobe ip_vs_lite; a TCP and a UDP DR service on the director
#      and a third service in a spare netns (aux), each with a different
#      scheduler, so that every scheduler module is used in turn;
#   2. traffic reaches both DR services (TCP connect loop, UDP stream);
#   3. rmmod of a scheduler in use fails ("in use"), and so does rmmod
#      ip_vs_lite (the schedulers depend on it): services must go first;
#   4. lvsadm -C on the director, the aux netns deleted with its service
#      still configured, then modprobe -r of the schedulers and
#      ip_vs_lite while packets keep arriving: it must succeed (the
#      connection entries left by the traffic go with the module).
# After the rounds, unreclaimable slab must be back where it was after
# the first round (within SLAB_TOLERANCE_KB) and dmesg must be clean.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  cli: TCP connect loop -> VIP:25, UDP stream -> VIP:5353
#  aux (netns, no traffic): TCP 198.51.100.5:80 -> 198.51.100.7
#
# Environment: UNLOAD_COUNT rounds (default 10).

source "$(dirname "$0")/lib.sh"

UNLOAD_COUNT=${UNLOAD_COUNT:-10}
SLAB_TOLERANCE_KB=${SLAB_TOLERANCE_KB:-1024}
SCHEDS=(rr wrr lc wlc sh dh mh sed nq lblc lblcr)
S25="$VIP:25"
S53="$VIP:5353"
AUX_VIP=198.51.100.5

lvs_test_begin $((UNLOAD_COUNT * 4 + 3))

lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
lvs_unload

# Bounded in time: both loops stop on their own after 2 minutes a round
# (a round takes 10 to 40 s under TCG) and 5 more. The sleeps pace them:
# steady traffic, not a flood.
traffic_start()
{
	local secs=$((UNLOAD_COUNT * 120 + 300))

	lvs_bg ip netns exec cli timeout "$secs" bash -c "
		while :; do
			busybox nc -w 1 $VIP 25 </dev/null >/dev/null 2>&1
			sleep 0.05
		done"
	lvs_bg ip netns exec cli timeout "$secs" bash -c "
		exec 3>/dev/udp/$VIP/5353
		while :; do
			for i in 1 2 3 4 5 6 7 8; do echo stream >&3; done
			sleep 0.02
		done 2>/dev/null"
}

aux_setup()
{
	local sched=$1

	setup_ns aux || return 1
	ip netns exec aux "$ADM_BIN" -A -t "$AUX_VIP:80" -s "$sched" &&
		ip netns exec aux "$ADM_BIN" -a -t "$AUX_VIP:80" \
			-r 198.51.100.7 -g
}

configure()
{
	local st=$1 su=$2 sa=$3

	modprobe "$LVS_MOD" &&
		adm_batch "-A -t $S25 -s $st" "-a -t $S25 -r $RIP1 -g" \
			"-a -t $S25 -r $RIP2 -g" "-A -u $S53 -s $su" \
			"-a -u $S53 -r $RIP1 -g" "-a -u $S53 -r $RIP2 -g" &&
		aux_setup "$sa"
}

# Packets SVC ("TCP ..." / "UDP ...") passed on.
svc_inpkts()
{
	adm -ln --stats | awk -v s="$1" '($1 " " $2) == s { print $4; exit }'
}

# inpkts_past T U: the TCP service has passed more than T packets and
# the UDP service more than U.
inpkts_past()
{
	[ "$(svc_inpkts "TCP $S25")" -gt "$1" ] &&
		[ "$(svc_inpkts "UDP $S53")" -gt "$2" ]
}

# Both services see new packets within 10 s.
traffic_seen()
{
	local t0 u0

	t0=$(svc_inpkts "TCP $S25")
	u0=$(svc_inpkts "UDP $S53")
	wait_until -i 0.25 10 inpkts_past "${t0:-0}" "${u0:-0}" && return 0
	adm -ln --stats
	return 1
}

# Both refusals: a scheduler in use, and the core under its schedulers.
refused_in_use()
{
	local m=$1 out

	out=$(rmmod "$m" 2>&1) && { echo "rmmod $m succeeded"; return 1; }
	grep -q "in use" <<<"$out" || { echo "rmmod $m: $out"; return 1; }
	out=$(rmmod "$LVS_MOD" 2>&1) &&
		{ echo "rmmod $LVS_MOD succeeded"; return 1; }
	grep -q "in use" <<<"$out" || { echo "rmmod $LVS_MOD: $out"; return 1; }
}

# Flush the director, drop aux with its service, unload under traffic.
teardown()
{
	adm -C || return 1
	ip netns del aux
	LVS_NS_LIST=("${LVS_NS_LIST[@]/aux/}")
	# shellcheck disable=SC2046
	modprobe -r $(lvs_scheds) "$LVS_MOD" 2>/dev/null || lvs_unload
	! mod_loaded "$LVS_MOD" && [ -z "$(lvs_scheds)" ]
}

traffic_start
slab0=
start=$(date +%s)
for r in $(seq "$UNLOAD_COUNT"); do
	n=${#SCHEDS[@]}
	st=${SCHEDS[$(((r - 1) % n))]}
	su=${SCHEDS[$(((r + 2) % n))]}
	sa=${SCHEDS[$(((r + 5) % n))]}
	ktap_check "round $r: load, services with $st, $su and $sa (aux)" \
		configure "$st" "$su" "$sa"
	ktap_check "round $r: traffic reaches the TCP and UDP services" \
		traffic_seen
	ktap_check "round $r: rmmod $(sched_mod "$st") and $LVS_MOD refused: in use" \
		refused_in_use "$(sched_mod "$st")"
	ktap_check "round $r: -C, aux netns deleted, modprobe -r under traffic" \
		teardown
	[ "$r" = 1 ] && slab0=$(slab_settled)
done
secs=$(($(date +%s) - start))
ktap_diag "$UNLOAD_COUNT rounds in ${secs} s"

slab1=$(slab_settled)
delta=$((slab1 - slab0))
ktap_diag "SUnreclaim after round 1: ${slab0} kB, after round $UNLOAD_COUNT: ${slab1} kB (delta ${delta} kB)"
[ "$delta" -le "$SLAB_TOLERANCE_KB" ]
ktap_result "unreclaimable slab within ${SLAB_TOLERANCE_KB} kB of round 1 (delta ${delta} kB)" $?

ktap_check "modules load again after the rounds" modprobe "$LVS_MOD"
dmesg_check
ktap_finish
