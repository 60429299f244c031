#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A network namespace without services is left alone: ip_vs_lite hooks
# into it, and has its fragments reassembled, only from its first
# service on, and lets go again with the last, as IPVS does. Seen on a
# router namespace through the reassembly counters of /proc/net/snmp:
# fragments it forwards are reassembled only while it has a service.
#
#      cli                        rt                          srv
#  192.0.2.100 ---------- 192.0.2.1 | 198.51.100.1 ---------- 198.51.100.2
#                   forwards; later a service on 203.0.113.5:25
#
#  cli -> srv: UDP datagrams of 3000 bytes, in fragments (MTU 1500)

source "$(dirname "$0")/lib.sh"

lvs_test_begin 6 lvs_cleanup
lvs_load || ktap_skip_all "cannot load $LVS_MOD"

ok=1
setup_ns cli rt srv &&
	ns_link cli eth0 192.0.2.100/24 rt eth0 192.0.2.1/24 &&
	ns_link rt eth1 198.51.100.1/24 srv eth0 198.51.100.2/24 &&
	ip -n cli route add default via 192.0.2.1 &&
	ip -n srv route add default via 198.51.100.1 &&
	ip netns exec rt sysctl -qw net.ipv4.ip_forward=1 || ok=0
ktap_result "topology: cli, router rt, srv" $((1 - ok))
[ $ok = 1 ] || ktap_finish

# reasm NS: fragments NS has taken in for reassembly (Ip: ReasmReqds).
reasm()
{
	ip netns exec "$1" awk '
		$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) k[i] = $i; h = 1; next }
		$1 == "Ip:" { for (i = 2; i <= NF; i++) if (k[i] == "ReasmReqds") print $i }
	' /proc/net/snmp
}

# sends N: N datagrams of 3000 bytes from cli to srv, in fragments;
# prints how many fragments srv took in, so how many got through.
sends()
{
	local before

	before=$(reasm srv)
	ip netns exec cli python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[1])):
    s.sendto(b"x" * 3000, ("198.51.100.2", 9))
' "$1"
	sleep 1 # the fragments cross two hops; nothing else to wait for
	echo $(($(reasm srv) - before))
}

r0=$(reasm rt)
got=$(sends 3)
r1=$(reasm rt)
ktap_diag "no service: srv took in $got fragments, rt reassembled $((r1 - r0)) fragments"
[ "$got" -ge 3 ] && [ "$r1" = "$r0" ]
ktap_result "no service: fragments pass rt as fragments ($((r1 - r0)) reassembled)" $?

ip netns exec rt "$ADM_BIN" -A -t 203.0.113.5:25 -s rr
got=$(sends 3)
r2=$(reasm rt)
ktap_diag "a service: srv took in $got fragments, rt reassembled $((r2 - r1))"
[ "$got" -ge 3 ] && [ "$r2" -gt "$r1" ]
ktap_result "with a service, rt reassembles what it forwards ($((r2 - r1)) fragments)" $?

ip netns exec rt "$ADM_BIN" -D -t 203.0.113.5:25
got=$(sends 3)
r3=$(reasm rt)
[ "$got" -ge 3 ] && [ "$r3" = "$r2" ]
ktap_result "after the last service is gone, fragments pass as fragments again ($((r3 - r2)) reassembled)" $?

ip netns exec rt "$ADM_BIN" -A -t 203.0.113.5:25 -s rr &&
	ip netns exec rt "$ADM_BIN" -C
got=$(sends 2)
r4=$(reasm rt)
[ "$got" -ge 2 ] && [ "$r4" = "$r3" ]
ktap_result "after a flush too ($((r4 - r3)) reassembled)" $?

dmesg_check
ktap_finish
