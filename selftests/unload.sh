#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module lifetime under traffic: while a client keeps connecting to a TCP
# service and flooding a UDP one, a scheduler module in use and the core
# module must refuse to unload; after the services are deleted, the
# schedulers and the core unload with packets still arriving, and load
# again, several times over, without a kernel complaint. Then the
# conn_tab_bits parameter: 8 and 20 are the limits, 7 and 21 are refused.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  cli: TCP connect loop -> VIP:25 (rr), UDP flood -> VIP:5353 (wlc)

source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
S25="$VIP:25"
S53="$VIP:5353"

lvs_test_begin $((ROUNDS * 5 + 6 + 1))

lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
ip netns exec "$DIR_NS" "$ADM_BIN" -C >/dev/null 2>&1
lvs_unload

configure()
{
	adm_batch "-A -t $S25 -s rr" "-a -t $S25 -r $RIP1 -g" \
		"-a -t $S25 -r $RIP2 -g" "-A -u $S53 -s wlc" \
		"-a -u $S53 -r $RIP1 -g" "-a -u $S53 -r $RIP2 -g"
}

# Bounded in time: both loops stop on their own after 10 minutes. The
# sleeps pace them: steady traffic, not a flood.
traffic_start()
{
	lvs_bg ip netns exec cli timeout 600 bash -c "
		while :; do
			busybox nc -w 1 $VIP 25 </dev/null >/dev/null 2>&1
			sleep 0.05
		done"
	lvs_bg ip netns exec cli timeout 600 bash -c "
		exec 3>/dev/udp/$VIP/5353
		while :; do
			for i in 1 2 3 4 5 6 7 8 9 10; do echo flood >&3; done
			sleep 0.02
		done 2>/dev/null"
}

# Connections seen by the real servers of SVC ("TCP ..." / "UDP ...").
svc_conns()
{
	adm -ln | awk -v s="$1" '
		/^(TCP|UDP)/ { cur = $1 " " $2; next }
		$1 == "->" && cur == s { n += $5 + $6 }
		END { print n + 0 }'
}

# Both services have seen traffic.
both_used()
{
	[ "$(svc_conns "TCP $S25")" -gt 0 ] && [ "$(svc_conns "UDP $S53")" -gt 0 ]
}

# Wait up to 30 s until both services have seen traffic.
traffic_seen()
{
	wait_until -i 0.5 30 both_used && return 0
	adm -ln
	return 1
}

traffic_start

for r in $(seq "$ROUNDS"); do
	ok=1
	modprobe "$LVS_MOD" && configure || ok=0
	ktap_result "round $r: load $LVS_MOD and configure TCP and UDP services" $((1 - ok))

	ktap_check "round $r: traffic reaches both services" traffic_seen

	rr=$(sched_mod rr)
	if rmmod "$rr" 2>/dev/null; then
		ktap_fail "round $r: rmmod $rr refused while a service uses it"
		modprobe "$rr"
	else
		ktap_ok "round $r: rmmod $rr refused while a service uses it"
	fi
	if rmmod "$LVS_MOD" 2>/dev/null; then
		ktap_fail "round $r: rmmod $LVS_MOD refused while services exist"
	else
		ktap_ok "round $r: rmmod $LVS_MOD refused while services exist"
	fi

	adm -C
	ktap_check "round $r: -C, then schedulers and $LVS_MOD unload under traffic" \
		lvs_unload
done

# ---- conn_tab_bits limits
lvs_unload

tab_bits_refused()
{
	local bits=$1 mark

	if [ "$LVS_MOD" = ip_vs ]; then
		ktap_skip "conn_tab_bits=$bits refused" \
			"ip_vs falls back to its default instead"
		return
	fi
	mark="ipvl-selftest: conn_tab_bits=$bits $$"
	echo "$mark" >/dev/kmsg
	if modprobe "$LVS_MOD" conn_tab_bits="$bits" 2>/dev/null; then
		ktap_fail "conn_tab_bits=$bits refused"
		rmmod "$LVS_MOD"
		return
	fi
	if dmesg | awk -v m="$mark" 'f { print } index($0, m) { f = 1 }' |
	   grep -q conn_tab_bits; then
		ktap_ok "conn_tab_bits=$bits refused, dmesg names conn_tab_bits"
	else
		ktap_fail "conn_tab_bits=$bits refused, dmesg names conn_tab_bits"
	fi
}

tab_bits_size()
{
	local bits=$1 size=$2 got

	if ! modprobe "$LVS_MOD" conn_tab_bits="$bits"; then
		ktap_fail "conn_tab_bits=$bits loads"
		ktap_fail "conn_tab_bits=$bits: -l shows size=$size"
		return
	fi
	ktap_ok "conn_tab_bits=$bits loads"
	got=$(adm -l | sed -n '1s/.*(size=\([0-9]*\)).*/\1/p')
	ktap_eq "conn_tab_bits=$bits: -l shows size=$size" "$size" "$got"
	lvs_unload
}

tab_bits_refused 7
tab_bits_refused 21
tab_bits_size 8 256
tab_bits_size 20 1048576

modprobe "$LVS_MOD"
dmesg_check
ktap_finish
