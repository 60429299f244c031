#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetimes under churn: what the packet path finds by lookup may be on
# its way out, and nothing it takes a reference to may be brought back.
#  1. A real server added and deleted in a tight loop while a flood of
#     new connections is scheduled onto it.
#  2. Persistence templates of 1 s and UDP entries of 1 s under a client
#     that keeps making new flows: templates die while lookups find them.
#  3. Network namespaces deleted while their entries are expiring, then
#     the module unloaded.
# A reference raised from zero shows as a refcount_t warning, and on the
# debug kernel (make check-debug) as a KASAN use-after-free; dmesg must
# stay clean, and the module must unload.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#  + SYNs from        VIP 192.0.2.5       VIP on lo     VIP on lo
#  198.51.100.0/24        |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  TCP VIP:80 rr -> rs1 (fixed), rs2 (added and deleted), -g
#  UDP VIP:53 rr -p 1 -> rs1, rs2, UDP timeout 1 s
#
#  3: ltc-N (198.51.100.10) --veth-- (198.51.100.1) ltd-N, VIP on a dummy
#
# The races need two CPUs: make check runs this script in a VM of its own
# with two (selftests/run/suite.sh), as the next line asks.
# VM: smp 2
#
# Environment: FLOOD_COUNT SYNs (default 100000), NETNS_ROUNDS (default 8).

source "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
FLOOD_COUNT=${FLOOD_COUNT:-100000}
NETNS_ROUNDS=${NETNS_ROUNDS:-8}
SPOOF_NET=198.51.100.0/24
S80="$VIP:80"
S53="$VIP:53"

lvs_test_begin 8 lvs_cleanup cmd_require "$CC"
lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_workdir
W=$LVS_WORK

ok=1
lvs_topology 2 &&
	adm_batch "-A -t $S80 -s rr" "-a -t $S80 -r $RIP1 -g" \
		"-A -u $S53 -s rr -p 1" "-a -u $S53 -r $RIP1 -g" \
		"-a -u $S53 -r $RIP2 -g" "--set 0 0 1" || ok=0
# Spoofed sources have no route back; the director must not care.
ip netns exec "$DIR_NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.eth0.rp_filter=0
"$CC" -O2 -o "$W/synflood" "$LIB_DIR/synflood.c" 2>"$W/cc.log" || ok=0
ktap_result "topology, TCP $S80 and UDP $S53 -p 1, UDP timeout 1 s" $((1 - ok))
[ $ok = 1 ] || ktap_finish
DIRMAC=$(ip -n "$DIR_NS" -br link show eth0 | awk '{ print $3 }')

# ---- 1. a real server in and out under a flood of new connections
# One lvsadm -R per 100 rounds: a process per command would leave the
# real server alone for most of the flood under TCG.
churn()
{
	local n=0 i

	for i in $(seq 100); do
		echo "-a -t $S80 -r $RIP2 -g"
		echo "-d -t $S80 -r $RIP2"
	done >"$W/churn.rules"
	while [ ! -e "$W/stop" ]; do
		adm -R <"$W/churn.rules" || break
		n=$((n + 100))
	done
	echo "$n" >"$W/rounds"
}

rm -f "$W/stop"
churn &
cpid=$!
ip netns exec cli "$W/synflood" eth0 "$DIRMAC" "$SPOOF_NET" "$VIP" 80 \
	"$FLOOD_COUNT" >"$W/flood" 2>&1
rc=$?
touch "$W/stop"
wait $cpid
rounds=$(cat "$W/rounds")
ktap_diag "$(cat "$W/flood"); rs2 added and deleted $rounds times meanwhile"
[ $rc = 0 ] && [ "${rounds:-0}" -gt 0 ]
ktap_result "SYN flood while a real server is added and deleted ($rounds rounds)" $?

conns=$(adm -ln --stats | awk -v s="$S80" '$1 == "TCP" && $2 == s { print $3 }')
ktap_diag "connections scheduled on $S80: ${conns:-none}"
[ "${conns:-0}" -gt 0 ] && adm -ln | grep -q "$RIP1:80" &&
	! adm -ln | grep -q "$RIP2:80"
ktap_result "$S80 scheduled the flood and holds rs1 alone at the end" $?

# ---- 2. templates and entries of 1 s under a client making new flows
flows()
{
	local i

	for i in $(seq "$1"); do
		echo x >"/dev/udp/$VIP/53"
	done 2>/dev/null
}

start=$(date +%s)
ip netns exec cli bash -c "$(declare -f flows); VIP=$VIP; \
	end=\$((\$(date +%s) + 12)); \
	while [ \$(date +%s) -lt \$end ]; do flows 200; done"
secs=$(($(date +%s) - start))
udp=$(adm -ln --stats | awk -v s="$S53" '$1 == "UDP" && $2 == s { print $3 }')
ktap_diag "UDP flows scheduled in ${secs}s: ${udp:-none}"
[ "${udp:-0}" -gt 100 ]
ktap_result "$S53 -p 1 scheduled new flows through expiring templates" $?

# ---- 3. namespaces deleted while their entries expire
netns_round()
{
	local c=ltc-$1 d=ltd-$1

	dummy_director "$d" "$c" || return 1
	ip netns exec "$d" "$ADM_BIN" -A -u "$S53" -s rr -p 1 &&
		ip netns exec "$d" "$ADM_BIN" -a -u "$S53" -r "$RIP1" -g &&
		ip netns exec "$d" "$ADM_BIN" --set 0 0 1 || return 1
	ip netns exec "$c" bash -c "$(declare -f flows); VIP=$VIP; flows 300"
	# Deleted as the first entries reach their 1 s timeout.
	sleep 0.8
	ip netns del "$c"
	ip netns del "$d"
}

ok=0
for r in $(seq "$NETNS_ROUNDS"); do
	netns_round "$r" || break
	ok=$r
done
ktap_eq "$NETNS_ROUNDS namespaces deleted with expiring entries" \
	"$NETNS_ROUNDS" "$ok"

ip netns exec cli bash -c "$(declare -f flows); VIP=$VIP; flows 300"
adm -C
ktap_check "the modules unload with entries expiring" lvs_unload
ktap_check "and load again" lvs_load

dmesg_check
ktap_finish
