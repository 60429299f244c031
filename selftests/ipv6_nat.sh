#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LVS/NAT (-m) over IPv6: the director rewrites the client's packets to
# the real server's address and port, and the replies, which pass
# through it as the real servers' default router, back to [VIP]:port.
# IPv6 has no header checksum, but the TCP and UDP checksums cover the
# addresses. Checked with real traffic: TCP and UDP round trips with
# port mapping (rr alternates, the servers see the client, answers come
# from the VIP), a fragmented datagram, 300 kB each way intact with and
# without checksum offload, a connection whose every segment carries a
# destination options header, and ICMPv6 errors translated both ways: a
# real server's port unreachable reaches the client as ECONNREFUSED, the
# client's reaches the real server.
#
#   cli 2001:db8:1::10, default via 2001:db8:1::1
#        |
#   eth1 2001:db8:1::1, VIP 2001:db8:1::5
#              dir (forwarding=1)
#   eth0 2001:db8:2::1
#        |
#  ======+================+=========br0======  2001:db8:2::/64
#                         |                |
#                rs1 2001:db8:2::7   rs2 2001:db8:2::8
#                default via 2001:db8:2::1 (dir)
#
#  TCP [VIP]:80 -> rs1|rs2:8080 (rr)     UDP [VIP]:53 -> rs1|rs2:5353 (rr)
#  TCP [VIP]:81 -> rs1:8081 (blobs)      UDP [VIP]:54 -> rs2:9999 (closed)

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8:1::5
CIP6=2001:db8:1::10
DIP6_CLI=2001:db8:1::1
DIP6_RS=2001:db8:2::1
RIP6_1=2001:db8:2::7
RIP6_2=2001:db8:2::8
PEER6=$LIB_DIR/peer6.py

lvs_test_begin 14 lvs_cleanup v6_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# A NAT real server on br0, routing everything through the director.
nat6_rs()
{
	local ns=$1 addr=$2

	setup_ns "$ns" && br_port br0 "$ns" eth0 "$addr/64" nodad &&
		ip -n "$ns" route add default via "$DIP6_RS" || return 1
	# The web server of lib.sh, on the mapped port only.
	rs_www "$ns"
	lvs_bg ip netns exec "$ns" busybox httpd -f -p 8080 -h "$LVS_WORK/$ns/www"
	lvs_bg ip netns exec "$ns" python3 "$PEER6" udp-serve "$ns" 5353 :: \
		"$LVS_WORK/errlog.$ns"
}

nat6_topology()
{
	setup_ns br cli "$DIR_NS" && br_add br0 || return 1
	ns_link cli eth0 "$CIP6/64" "$DIR_NS" eth1 "$DIP6_CLI/64" nodad &&
		ip -n cli route add default via "$DIP6_CLI" || return 1
	ip -n "$DIR_NS" addr add "$VIP6/128" dev eth1 nodad
	br_port br0 "$DIR_NS" eth0 "$DIP6_RS/64" nodad || return 1
	ip netns exec "$DIR_NS" sysctl -qw net.ipv6.conf.all.forwarding=1

	head -c "$BLOB_SIZE" /dev/urandom >"$LVS_WORK/blob"
	nat6_rs rs1 "$RIP6_1" && nat6_rs rs2 "$RIP6_2" || return 1
	lvs_bg ip netns exec rs1 python3 "$PEER6" blob-serve 8081 "$LVS_WORK/blob"

	wait_listen rs1 8080 && wait_listen rs2 8080 && wait_listen rs1 8081 &&
		wait_udp rs1 5353 && wait_udp rs2 5353
}

lvs_workdir
nat6_topology || { ktap_fail "topology"; ktap_finish; }

# ------------------------------------------------------------ helpers

# result DESC STATUS DIAG: a test point, with DIAG shown on failure.
result()
{
	ktap_result "$1" "$2"
	[ "$2" = 0 ] || ktap_diag "$3"
}

# --------------------------------------------------------------- tests

ktap_check "NAT services: [VIP]:80, :81 (TCP), :53, :54 (UDP) with port mapping" \
	adm_batch "-A -t [$VIP6]:80 -s rr" \
	"-a -t [$VIP6]:80 -r [$RIP6_1]:8080 -m" \
	"-a -t [$VIP6]:80 -r [$RIP6_2]:8080 -m" \
	"-A -u [$VIP6]:53 -s rr" \
	"-a -u [$VIP6]:53 -r [$RIP6_1]:5353 -m" \
	"-a -u [$VIP6]:53 -r [$RIP6_2]:5353 -m" \
	"-A -t [$VIP6]:81 -s rr" "-a -t [$VIP6]:81 -r [$RIP6_1]:8081 -m" \
	"-A -u [$VIP6]:54 -s rr" "-a -u [$VIP6]:54 -r [$RIP6_2]:9999 -m"
ktap_eq "-ln: [VIP]:80 real servers are Masq on port 8080" "Masq Masq" \
	"$(dest_field "TCP [$VIP6]:80" "[$RIP6_1]:8080" forward) $(dest_field "TCP [$VIP6]:80" "[$RIP6_2]:8080" forward)"

# ---- TCP and UDP round trips; nothing listens on the service ports
out=$(curl_times 4 "http://[$VIP6]/cgi-bin/who")
names=$(awk '{ print $1 }' <<<"$out" | xargs)
seen=$(awk '{ print $2 }' <<<"$out" | sort -u | xargs)
# shellcheck disable=SC2086
alternates $names && [ "$seen" = "[$CIP6]" ]
result "TCP [VIP]:80 -> :8080: 4 connections alternate rs1/rs2, servers see [$CIP6]" \
	$? "answers: $(xargs <<<"$out")"

out=$(ip netns exec cli python3 "$PEER6" udp-ask "$VIP6" 53 4)
names=$(awk '{ print $1 }' <<<"$out" | xargs)
rest=$(awk '{ print $2, $3, $4 }' <<<"$out" | sort -u | xargs)
# shellcheck disable=SC2086
alternates $names && [ "$rest" = "$CIP6 16 [$VIP6]:53" ]
result "UDP [VIP]:53 -> :5353: 4 flows alternate, answers from [$VIP6]:53" \
	$? "answers: $(xargs <<<"$out")"

# Reassembled on the director, rewritten whole, fragmented again.
out=$(ip netns exec cli python3 "$PEER6" udp-ask "$VIP6" 53 2 4000)
rest=$(awk '{ print $2, $3, $4 }' <<<"$out" | sort -u | xargs)
ktap_eq "UDP: 4000-byte datagrams (3 fragments each) arrive whole, answered from the VIP" \
	"$CIP6 4000 [$VIP6]:53" "$rest"

# ---- 300 kB each way, with and without checksum offload at the
# senders.
nat_blobs "$VIP6" peer6.py

# The transport header is not right behind the IPv6 header.
got=$(ip netns exec cli python3 "$PEER6" blob-put "$VIP6" 81 \
      "$LVS_WORK/blob" dstopts 2>&1)
ktap_eq "300 kB upload, every client segment with a destination options header" \
	"$(blob_want)" "$got"

stats=$(stat_field "TCP [$VIP6]:81" - outpkts)
[ "${stats:-0}" -gt 0 ] 2>/dev/null
result "--stats: OutPkts > 0 for [VIP]:81 (got: $stats)" $? \
	"$(adm -ln --stats --exact)"

# ---- ICMPv6 errors. rs2 has nothing on 9999: its port unreachable
# quotes the rewritten datagram and must reach the client rewritten
# back to [VIP]:54.
ktap_eq "UDP [VIP]:54 -> rs2:9999 (closed): the client's connected socket gets ECONNREFUSED" \
	refused "$(ip netns exec cli python3 "$PEER6" udp-refused "$VIP6" 54 2>&1)"

# The other way: a datagram whose sender is gone. The answer finds the
# client's port closed; the client's port unreachable, sent to the VIP,
# must reach the real server's socket about its answer to the client.
ip netns exec cli python3 "$PEER6" udp-gone "$VIP6" 53
ktap_eq "the client's port unreachable about an answer reaches the real server" \
	"refused [$CIP6]" "$(rs_errlog 10)"

dmesg_check
ktap_finish
