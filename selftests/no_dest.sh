#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A service with no real server that can take a new connection answers
# the client's SYN at once with ICMP "port unreachable", as kernel IPVS
# does, so the client's connect() is refused rather than left to time
# out: over IPv4 with ICMP, over IPv6 with ICMPv6.
#
#      cli                 dir
#  192.0.2.100          192.0.2.6
#  2001:db8::100        2001:db8::6
#       |          VIP 192.0.2.5, 2001:db8::5 (eth0)
#  =====+===================+=========br0=====
#
#  TCP VIP:25 and [VIP6]:25, rr, no real server; then one of weight 0

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8::5
DIP6=2001:db8::6
CIP6=2001:db8::100

lvs_test_begin 6 lvs_cleanup v6_require
lvs_load || ktap_skip_all "cannot load $LVS_MOD"

ok=1
setup_ns br && br_add br0 && setup_ns cli && seg_attach cli "$CIP" &&
	dir_setup "$DIR_NS" "$DIP" &&
	ip -n cli addr add "$CIP6/64" dev eth0 nodad &&
	ip -n "$DIR_NS" addr add "$DIP6/64" dev eth0 nodad &&
	ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad &&
	adm_batch "-A -t $VIP:25 -s rr" "-A -t [$VIP6]:25 -s rr" || ok=0
ktap_result "topology, TCP $VIP:25 and [$VIP6]:25 without real servers" $((1 - ok))
[ $ok = 1 ] || ktap_finish

# connect_result ADDR: "refused", "timeout" or "connected", within 4 s.
connect_result()
{
	ip netns exec cli python3 -S -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], 25), timeout=4).close()
    print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("timeout" if isinstance(e, socket.timeout) else type(e).__name__)
' "$1"
}

r=$(connect_result "$VIP")
[ "$r" = refused ]
ktap_result "IPv4, no real server: the connection is refused ($r)" $?
r=$(connect_result "$VIP6")
[ "$r" = refused ]
ktap_result "IPv6, no real server: the connection is refused ($r)" $?

adm_batch "-a -t $VIP:25 -r $RIP1 -g -w 0" "-a -t [$VIP6]:25 -r [2001:db8::7] -g -w 0"
r=$(connect_result "$VIP")
[ "$r" = refused ]
ktap_result "IPv4, a real server of weight 0: refused ($r)" $?
r=$(connect_result "$VIP6")
[ "$r" = refused ]
ktap_result "IPv6, a real server of weight 0: refused ($r)" $?

dmesg_check
ktap_finish
