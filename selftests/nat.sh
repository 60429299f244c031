#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LVS/NAT (masquerading, -m): the director rewrites the client's packets
# to the real server's address and port, and the replies, which pass
# through it as the real servers' gateway, back to VIP:port. Checked with
# real traffic: TCP and UDP over many connections (rr alternates, port
# 80 -> 8080), replies always from VIP:port, 300 kB each way intact with
# and without checksum offload, ICMP port unreachable translated both
# ways (real server to client and back), a real server's datagram without
# a connection refused (nat_icmp_send), OutPkts in the statistics, the same round trips with
# nf_conntrack absent and loaded, one service mixing -g and -m, and a
# real server whose replies do not come back through the director.
#
#   cli 198.51.100.10                         rsd 198.51.100.7 (-g)
#        |                                    VIP on lo
#        |                                         |
#  ======+=================br1=====+===============+=====  198.51.100.0/24
#                                  |
#                   eth1 198.51.100.1, VIP 198.51.100.5
#                            dir (ip_forward=1)
#                          eth0 192.0.2.1
#                                  |
#  ======+================+========+===br0=========+=====  192.0.2.0/24
#        |                |                        |
#   rs1 192.0.2.7    rs2 192.0.2.8            rs3 192.0.2.9
#   default via 192.0.2.1 (dir)               default via 192.0.2.254,
#                                             which nobody holds
#
#  TCP VIP:80 -> rs1|rs2:8080 (rr, -m)      UDP VIP:53 -> rs1|rs2:5353
#  TCP VIP:81 -> rs1:8081 (300 kB blobs)    UDP VIP:54 -> rs2:9999 (closed)
#  TCP VIP:25 -> rsd:25 (-g) | rs1:25 (-m)  TCP VIP:83 -> rs3:8080 (-m)

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.5
CIP=198.51.100.10
DIP_CLI=198.51.100.1
DIP_RS=192.0.2.1
RIPD=198.51.100.7
NOBODY=192.0.2.254
# -S: no site module, whose path scans are slow on the VM's 9p root.
PEER=(python3 -S "$LIB_DIR/peer.py")

lvs_test_begin 24 lvs_cleanup cmd_require python3

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# A NAT real server on br0, with GW as its default gateway.
nat_rs()
{
	local ns=$1 addr=$2 gw=$3

	setup_ns "$ns" && br_port br0 "$ns" eth0 "$addr/24" &&
		ip -n "$ns" route add default via "$gw" || return 1
	rs_servers "$ns"
	# Same names and CGI as the port 80 server, on the mapped port.
	lvs_bg ip netns exec "$ns" busybox httpd -f -p 8080 \
		-h "$LVS_WORK/$ns/www"
}

nat_topology()
{
	setup_ns br cli "$DIR_NS" && br_add br0 br1 || return 1
	br_port br1 cli eth0 "$CIP/24" &&
		br_port br1 "$DIR_NS" eth1 "$DIP_CLI/24" &&
		br_port br0 "$DIR_NS" eth0 "$DIP_RS/24" || return 1
	ip -n "$DIR_NS" addr add "$VIP/32" dev eth1
	ip netns exec "$DIR_NS" sysctl -qw net.ipv4.ip_forward=1

	nat_rs rs1 "$RIP1" "$DIP_RS" && nat_rs rs2 "$RIP2" "$DIP_RS" &&
		nat_rs rs3 "$RIP3" "$NOBODY" || return 1

	# A direct-routing real server on the client's segment.
	setup_ns rsd && br_port br1 rsd eth0 "$RIPD/24" || return 1
	rs_vip rsd
	rs_servers rsd

	head -c "$BLOB_SIZE" /dev/urandom >"$LVS_WORK/blob"
	lvs_bg ip netns exec rs1 "${PEER[@]}" blob-serve 8081 "$LVS_WORK/blob"
	lvs_bg ip netns exec rs1 "${PEER[@]}" udp-serve rs1 5353 0.0.0.0 \
		"$LVS_WORK/errlog.rs1"
	lvs_bg ip netns exec rs2 "${PEER[@]}" udp-serve rs2 5353 0.0.0.0 \
		"$LVS_WORK/errlog.rs2"

	wait_listen rs1 8080 && wait_listen rs2 8080 && wait_listen rs3 8080 &&
		wait_listen rs1 25 && wait_listen rsd 25 &&
		wait_listen rs1 8081 && wait_udp rs1 5353 && wait_udp rs2 5353
}

lvs_workdir
nat_topology || { ktap_fail "topology"; ktap_finish; }

# ------------------------------------------------------------ helpers

# round_trip TAG: 6 TCP connections and 6 UDP flows through the NAT
# services; two test points.
round_trip()
{
	local tag=$1 out names seen srcs

	out=$(http_seq 6 /cgi-bin/who)
	names=$(awk 'NF { print $1 }' <<<"$out" | xargs)
	seen=$(awk 'NF { print $2 }' <<<"$out" | v4 | sort -u | xargs)
	# shellcheck disable=SC2086
	if alternates $names && [ "$seen" = "$CIP" ]; then
		ktap_ok "$tag: TCP VIP:80 -> :8080, 6 connections alternate rs1/rs2, servers see $CIP"
	else
		ktap_fail "$tag: TCP VIP:80 -> :8080, 6 connections alternate rs1/rs2, servers see $CIP"
		ktap_diag "answers: $(xargs <<<"$out")"
	fi

	out=$(ip netns exec cli "${PEER[@]}" udp-ask "$VIP" 53 6)
	names=$(awk '{ print $1 }' <<<"$out" | xargs)
	seen=$(awk '{ print $2 }' <<<"$out" | sort -u | xargs)
	srcs=$(awk '{ print $3 }' <<<"$out" | sort -u | xargs)
	# shellcheck disable=SC2086
	if alternates $names && [ "$seen" = "$CIP" ] &&
	   [ "$srcs" = "$VIP:53" ]; then
		ktap_ok "$tag: UDP VIP:53 -> :5353, 6 flows alternate, answers from $VIP:53"
	else
		ktap_fail "$tag: UDP VIP:53 -> :5353, 6 flows alternate, answers from $VIP:53"
		ktap_diag "answers: $(xargs <<<"$out")"
	fi
}

ct_count()
{
	ip netns exec "$1" cat /proc/sys/net/netfilter/nf_conntrack_count
}

# --------------------------------------------------------------- tests

# One -R instead of a command per line: every process is slow under TCG.
cat >"$LVS_WORK/rules" <<EOF
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RIP1:8080 -m
-a -t $VIP:80 -r $RIP2:8080 -m
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RIP1:5353 -m
-a -u $VIP:53 -r $RIP2:5353 -m
-A -t $VIP:81 -s rr
-a -t $VIP:81 -r $RIP1:8081 -m
-A -u $VIP:54 -s rr
-a -u $VIP:54 -r $RIP2:9999 -m
-A -t $VIP:25 -s rr
-a -t $VIP:25 -r $RIPD -g
-a -t $VIP:25 -r $RIP1:25 -m
-A -t $VIP:83 -s rr
-a -t $VIP:83 -r $RIP3:8080 -m
EOF
ktap_check "NAT services (-R): TCP VIP:80, :81, :83, UDP VIP:53, :54, mixed TCP VIP:25" \
	adm -R <"$LVS_WORK/rules"
ktap_eq "-ln: VIP:80 real servers are Masq on port 8080" "Masq Masq" \
	"$(dest_field "TCP $VIP:80" "$RIP1:8080" forward) $(dest_field "TCP $VIP:80" "$RIP2:8080" forward)"

# ---- nf_conntrack absent
modprobe -r nf_conntrack 2>/dev/null
if mod_loaded nf_conntrack; then
	ktap_skip "no conntrack: TCP round trip" "nf_conntrack is in use"
	ktap_skip "no conntrack: UDP round trip" "nf_conntrack is in use"
else
	round_trip "no conntrack"
fi

out=$(stat_field "TCP $VIP:80" "$RIP1:8080" outpkts)
out+=" $(stat_field "TCP $VIP:80" "$RIP2:8080" outpkts)"
out+=" $(stat_field "TCP $VIP:80" - outpkts)"
# shellcheck disable=SC2086
set -- $out
[ $# = 3 ] && [ "$1" -gt 0 ] && [ "$2" -gt 0 ] && [ "$3" -gt 0 ]
rc=$?
ktap_result "--stats: OutPkts > 0 for rs1, rs2 and the service (got: $out)" $rc
[ $rc = 0 ] || ktap_diag "$(adm -ln --stats --exact)"

# ---- 300 kB each way, with and without checksum offload at the
# senders: NAT updates the checksums incrementally.
nat_blobs "$VIP" peer.py

# CHECKSUM_PARTIAL in, checksum finished in software as the director's
# packets leave: the receiver verifies what NAT left in the checksum
# field.
if tx_csum off "$DIR_NS" eth0 eth1; then
	blob_checks "offload off at the director" "$VIP" peer.py
	out=$(ip netns exec cli "${PEER[@]}" udp-ask "$VIP" 53 2 |
	      awk '{ print $1, $3 }' | sort | xargs)
	ktap_eq "offload off at the director: UDP answers from both, from $VIP:53" \
		"rs1 $VIP:53 rs2 $VIP:53" "$out"
else
	ktap_skip "offload off at the director: download" "cannot switch tx checksumming"
	ktap_skip "offload off at the director: upload" "cannot switch tx checksumming"
	ktap_skip "offload off at the director: UDP" "cannot switch tx checksumming"
fi
tx_csum on "$DIR_NS" eth0 eth1

# ---- ICMP errors: rs2 has nothing on 9999; its port unreachable quotes
# the translated datagram and must reach the client translated back.
ktap_eq "UDP VIP:54 -> rs2:9999 (closed): the client's connected socket gets ECONNREFUSED" \
	refused "$(ip netns exec cli "${PEER[@]}" udp-refused "$VIP" 54 2>&1)"

# ... and the other way: the client's port unreachable about an answer
# is sent on to the real server, which must recognise its own datagram
# in the quote.
ip netns exec cli "${PEER[@]}" udp-gone "$VIP" 53
ktap_eq "UDP VIP:53, client port closed: its port unreachable reaches the real server's socket" \
	"refused $CIP" "$(rs_errlog 5)"

# ---- nat_icmp_send: rs2 sends from its VIP:54 port 9999 to a client
# the director has no connection for (198.51.100.99 does not exist).
vs_sys=net.ipv4.vs_lite
[ "$LVS_MOD" = ip_vs ] && vs_sys=net.ipv4.vs
ktap_eq "nat_icmp_send=0: a real server's datagram without a connection goes unanswered" \
	timeout "$(ip netns exec rs2 "${PEER[@]}" udp-refused 198.51.100.99 40123 9999 2>&1)"
ip netns exec "$DIR_NS" sysctl -qw "$vs_sys.nat_icmp_send=1"
ktap_eq "nat_icmp_send=1: the director refuses it with a port unreachable" \
	refused "$(ip netns exec rs2 "${PEER[@]}" udp-refused 198.51.100.99 40123 9999 2>&1)"
ip netns exec "$DIR_NS" sysctl -qw "$vs_sys.nat_icmp_send=0"

# ---- one service, two methods
seq=$(smtp_seq 4 25)
# shellcheck disable=SC2086
alternates $seq && [ "$(count rsd $seq) $(count rs1 $seq)" = "2 2" ]
ktap_result "VIP:25 mixing -g (rsd) and -m (rs1): 4 connections alternate: $seq" $?

# ---- a NAT real server whose default route is not the director: its
# replies never come back, the client times out.
ktap_eq "VIP:83 -> rs3 (no route back through dir): the connection fails" \
	none "$(smtp_who 83)"
ktap_eq "-lnc: that connection waits in SYN_RECV" 1 \
	"$(adm -lnc | awk -v d="$RIP3:8080" '$3 == "SYN_RECV" && $6 == d' | wc -l)"
got="$(stat_field "TCP $VIP:83" "$RIP3:8080" inpkts) $(stat_field "TCP $VIP:83" "$RIP3:8080" outpkts)"
# shellcheck disable=SC2086
set -- $got
[ $# = 2 ] && [ "$1" -gt 0 ] && [ "$2" = 0 ]
ktap_result "--stats for rs3: InPkts > 0, OutPkts 0 (got: $got)" $?

# ---- nf_conntrack loaded. Loading it alone hooks nothing; enable_hooks
# makes every namespace tracked, as a ruleset using conntrack would.
if ! mod_load_tmp nf_conntrack enable_hooks=1; then
	ktap_skip "conntrack: TCP round trip" "cannot load nf_conntrack enable_hooks=1"
	ktap_skip "conntrack: UDP round trip" "cannot load nf_conntrack enable_hooks=1"
	ktap_skip "conntrack: forwarded flows untracked" "cannot load nf_conntrack enable_hooks=1"
else
	round_trip "conntrack"
	got="cli=$(ct_count cli) dir=$(ct_count "$DIR_NS")"
	# The client's own sockets are tracked; what the director forwards
	# leaves untracked and never becomes an entry there.
	case $got in
	cli=0\ * | *dir=[1-9]*) rc=1 ;;
	*) rc=0 ;;
	esac
	ktap_result "conntrack: the client tracks its flows, the director none of the forwarded ones ($got)" $rc
	[ $rc = 0 ] ||
		ktap_diag "$(ip netns exec "$DIR_NS" cat /proc/net/nf_conntrack 2>&1 |
			     head -n 6)"
fi

dmesg_check
ktap_finish
