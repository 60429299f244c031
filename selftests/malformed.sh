#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed packets at the virtual address of a DR and a NAT service:
# truncated and lying IP headers, IP options, fragments (first, middle,
# overlapping, tiny), TCP with doff < 5 and beyond the segment, UDP with
# bad lengths, SCTP cut short or with lying chunk lengths, and ICMP errors whose quoted header is truncated, has
# ihl < 5, no ports, or names a live NAT connection followed by noise.
# They are sent with AF_PACKET from the client (selftests/rawpkt.py),
# 20 frames of each kind.
#
# For each kind, the test checks where it went (to a real server or
# not, by the IP packets the real servers received; ICMP about a NAT
# connection by the NAT real server's ICMP counters) and shows the
# kernel counters that moved on the director. Afterwards the director
# must still forward normal DR and NAT connections, and dmesg must be
# clean.
#
#      cli                dir                      rs1
#  192.0.2.100   eth0 192.0.2.6, VIP 192.0.2.5   192.0.2.7 (VIP on lo)
#       |                 |                          |
#  =====+=================+===========br0============+=====
#                         |
#                eth1 203.0.113.1 (ip_forward=1)
#                         |
#                    rsn 203.0.113.7 (default via 203.0.113.1)
#
#  TCP VIP:25 -> rs1:25 (-g)        UDP VIP:53 -> rs1:53 (-g)
#  TCP VIP:80 -> rsn:8080 (-m)      UDP VIP:54 -> rsn:5353 (-m)
#  SCTP VIP:2905 -> rs1:2905 (-g)

source "$(dirname "$0")/lib.sh"

RAW=$LIB_DIR/rawpkt.py
PEER=$LIB_DIR/peer.py
RSN=203.0.113.7
DIR_RSN=203.0.113.1
N=${MALFORMED_COUNT:-20}
CPORT=40000

# case|expectation: fwd (reaches a real server), nofwd (does not),
# any (either is acceptable; shown), rsn (ICMP delivered to the NAT
# real server)
CASES=(
"ip-short|nofwd"
"ip-ihl4|nofwd"
"ip-totlen-long|nofwd"
"ip-totlen-short|nofwd"
"ip-bad-csum|nofwd"
"ip-options|fwd"
"ip-options-bad|nofwd"
"ip-options-lsrr|nofwd"
"tcp-trunc|nofwd"
"tcp-doff3|nofwd"
"tcp-doff15|any"
"tcp-xmas|nofwd"
"udp-len-long|any"
"udp-len-short|any"
"udp-trunc|nofwd"
"frag-ok|fwd"
"frag-first|nofwd"
"frag-middle|nofwd"
"frag-overlap|nofwd"
"frag-tiny|fwd"
"icmp-inner-trunc|nofwd"
"icmp-inner-ihl4|nofwd"
"icmp-inner-ihl15|nofwd"
"icmp-inner-noports|nofwd"
"icmp-inner-frag|nofwd"
"icmp-nat-garbage|rsn"
"icmp-nat-fragneeded|rsn"
"icmp-ipip-pmtu|nofwd"
"sctp-trunc|nofwd"
"sctp-nochunk|nofwd"
"sctp-chunk-trunc|nofwd"
"sctp-cookie-len0|nofwd"
"sctp-cookie-len-huge|nofwd"
"sctp-init|fwd"
)

lvs_test_begin $((${#CASES[@]} + 5)) lvs_cleanup cmd_require python3
lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

nat_side()
{
	setup_ns rsn || return 1
	ip link add eth1 netns "$DIR_NS" type veth peer name eth0 netns rsn ||
		return 1
	ip -n "$DIR_NS" addr add "$DIR_RSN/24" dev eth1
	ip -n "$DIR_NS" link set eth1 up
	ip -n rsn addr add "$RSN/24" dev eth0
	ip -n rsn link set eth0 up
	ip -n rsn route add default via "$DIR_RSN"
	ip netns exec "$DIR_NS" sysctl -qw net.ipv4.ip_forward=1
	mkdir -p "$LVS_WORK/rsn/www"
	echo rsn >"$LVS_WORK/rsn/www/index.html"
	lvs_bg ip netns exec rsn busybox httpd -f -p 8080 -h "$LVS_WORK/rsn/www"
	lvs_bg ip netns exec rsn python3 "$PEER" udp-serve rsn 5353
	wait_listen rsn 8080
}

services()
{
	adm_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
		"-A -u $VIP:53 -s rr" "-a -u $VIP:53 -r $RIP1 -g" \
		"-A -t $VIP:80 -s rr" "-a -t $VIP:80 -r $RSN:8080 -m" \
		"-A -u $VIP:54 -s rr" "-a -u $VIP:54 -r $RSN:5353 -m" \
		"-A --sctp-service $VIP:2905 -s rr" \
		"-a --sctp-service $VIP:2905 -r $RIP1 -g"
}

ok=1
lvs_workdir
lvs_topology 1 && nat_side && services || ok=0
ktap_result "topology: DR and NAT services on $VIP" $((1 - ok))
[ $ok = 1 ] || ktap_finish

DIRMAC=$(ip -n "$DIR_NS" -br link show eth0 | awk '{ print $3 }')

# A process in NS, for rawpkt.py to read NS's counters through /proc.
ns_pid()
{
	ip netns pids "$1" | head -n1
}

lvs_bg ip netns exec "$DIR_NS" sleep 3600
# Time for it to enter the namespace.
sleep 0.2
PIDS="dir=$(ns_pid "$DIR_NS"),rs=$(ns_pid rs1),rsn=$(ns_pid rsn)"

names=()
for c in "${CASES[@]}"; do
	names+=("${c%%|*}")
done
ip netns exec cli python3 "$RAW" suite eth0 "$DIRMAC" "$CIP" "$VIP" "$N" \
	"$PIDS" "${names[@]}" --tcp-port 25 --udp-port 53 --cport "$CPORT" \
	--qport 54 --qproto 17 --inner-src "$DIP" >"$LVS_WORK/suite" 2>&1

# One test point per case from its line: where the frames went.
check_case()
{
	local name=$1 want=$2 line rs rsn icmp got ok

	line=$(awk -v n="$name" '$1 == n' "$LVS_WORK/suite")
	if [ -z "$line" ]; then
		ktap_fail "$name: no result"
		ktap_diag_file "$LVS_WORK/suite"
		return
	fi
	rs=$(sed -n 's/.* rs=\([0-9-]*\) .*/\1/p' <<<"$line")
	rsn=$(sed -n 's/.* rsn=\([0-9-]*\) .*/\1/p' <<<"$line")
	icmp=$(sed -n 's/.* rsn_icmp=\([0-9-]*\) .*/\1/p' <<<"$line")
	if [ $((rs + rsn)) -gt 0 ]; then
		got="reached the real servers ($((rs + rsn)) packets)"
	else
		got="reached no real server"
	fi
	case $want in
	fwd) ok=$(((rs + rsn) > 0 ? 0 : 1)) ;;
	nofwd) ok=$(((rs + rsn) == 0 ? 0 : 1)) ;;
	rsn) ok=$((icmp >= N ? 0 : 1)) ;;
	*) ok=0 ;;
	esac
	ktap_result "$name: $got, $icmp ICMP at the NAT real server (expected: $want)" $ok
	ktap_diag "director: ${line#* dir=}"
}

for c in "${CASES[@]}"; do
	check_case "${c%%|*}" "${c##*|}"
done

# ---- normal traffic afterwards
who=$(smtp_who 25)
ktap_eq "DR: a TCP connection to $VIP:25 still reaches rs1" rs1 "$who"
body=$(ip netns exec cli curl -s -m 5 "http://$VIP:80/")
ktap_eq "NAT: an HTTP GET to $VIP:80 still reaches rsn" rsn "$body"
udp=$(ip netns exec cli python3 "$PEER" udp-ask "$VIP" 54 1 | awk '{ print $1 }')
ktap_eq "NAT: a UDP question to $VIP:54 still gets rsn's answer" rsn "$udp"

dmesg_check
ktap_finish
