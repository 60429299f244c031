#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LVS/TUN (-i) over IPv6: the director wraps the client's packet in an
# outer IPv6 header (next header 41, IPv6-in-IPv6) to a real server
# behind a router; the real server unwraps it on an ip6ip6 tunnel
# device, where it holds the VIP, and answers the client directly
# through its own router. rs1 uses a tunnel of its own, rs2 the ip6tnl0
# fallback device. Checked with real traffic: TCP and UDP through the
# tunnels (rr alternates, the servers see the client's address, answers
# come from the VIP), and a 300 kB upload whose full-sized segments do
# not fit in the tunnel: the director tells the client the path MTU.
#
#   cli 2001:db8:1::10    dir 2001:db8:1::1          rtr 2001:db8:1::fe
#        |                VIP 2001:db8:1::5 (eth0)        |
#        |                      |                         |
#  ======+=============br0======+=========================+==  2001:db8:1::/64
#                                                   r1 |      | r2
#                                  2001:db8:2:1::1/64  |      |  2001:db8:2:2::1/64
#                                  rs1 2001:db8:2:1::7 -+      +- rs2 2001:db8:2:2::7
#                                  VIP on lvs0 (ip6ip6)          VIP on ip6tnl0
#                                  default via rtr               default via rtr
#
#  dir routes 2001:db8:2::/48 via rtr.
#  TCP [VIP]:80 (httpd), UDP [VIP]:53 -> rs1 | rs2 (rr, -i)
#  TCP [VIP]:81 -> rs1 (uploads)

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8:1::5
CIP6=2001:db8:1::10
DIP6=2001:db8:1::1
RTR6=2001:db8:1::fe
RIP6_1=2001:db8:2:1::7
RIP6_2=2001:db8:2:2::7
PEER6=$LIB_DIR/peer6.py
# Outer IPv6 header: what the tunnel costs the client's packets.
TUN_MTU=$((1500 - 40))

tun6_require()
{
	v6_require
	modprobe ip6_tunnel 2>/dev/null ||
		ktap_skip_all "ip6_tunnel module not available"
}

lvs_test_begin 9 lvs_cleanup tun6_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# tun6_rs NS N RIP TUNDEV: real server N behind rtr on 2001:db8:2:N::/64,
# holding the VIP on TUNDEV.
tun6_rs()
{
	local ns=$1 n=$2 rip=$3 dev=$4 gw=2001:db8:2:$2::1

	setup_ns "$ns" &&
		ns_link rtr "r$n" "$gw/64" "$ns" eth0 "$rip/64" nodad &&
		ip -n "$ns" route add default via "$gw" || return 1
	# A tunnel bound to the real server's address, from any director;
	# ip6tnl0 takes whatever no other tunnel claims.
	if [ "$dev" != ip6tnl0 ]; then
		ip -n "$ns" -6 tunnel add "$dev" mode ip6ip6 local "$rip" \
			remote any || return 1
	fi
	ip -n "$ns" link set "$dev" up
	ip -n "$ns" addr add "$VIP6/128" dev "$dev" nodad || return 1
	rs_servers "$ns"
	# Bound to the VIP: the answer must leave from it.
	lvs_bg ip netns exec "$ns" python3 "$PEER6" udp-serve "$ns" 53 "$VIP6"
}

tun6_topology()
{
	setup_ns br cli "$DIR_NS" rtr && br_add br0 || return 1
	br_port br0 cli eth0 "$CIP6/64" nodad &&
		br_port br0 "$DIR_NS" eth0 "$DIP6/64" nodad &&
		br_port br0 rtr eth0 "$RTR6/64" nodad || return 1
	# Added after the director's own address, the VIP heads eth0's list
	# and ties with it for the route to the real servers: source address
	# selection alone would put the VIP in the outer header, which the
	# real servers (holding the VIP too) drop. The director must not.
	ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad
	ip netns exec rtr sysctl -qw net.ipv6.conf.all.forwarding=1
	tun6_rs rs1 1 "$RIP6_1" lvs0 && tun6_rs rs2 2 "$RIP6_2" ip6tnl0 ||
		return 1
	ip -n "$DIR_NS" route add 2001:db8:2::/48 via "$RTR6" || return 1

	lvs_bg ip netns exec rs1 python3 "$PEER6" blob-serve 81 /dev/null
	wait_listen rs1 80 && wait_listen rs2 80 && wait_listen rs1 81 &&
		wait_udp rs1 53 && wait_udp rs2 53
}

lvs_workdir
tun6_topology || { ktap_fail "topology"; ktap_finish; }

# --------------------------------------------------------------- tests

ktap_check "tunnel services: TCP [VIP]:80, [VIP]:81, UDP [VIP]:53" \
	adm_batch "-A -t [$VIP6]:80 -s rr" \
	"-a -t [$VIP6]:80 -r $RIP6_1 -i" "-a -t [$VIP6]:80 -r $RIP6_2 -i" \
	"-A -u [$VIP6]:53 -s rr" \
	"-a -u [$VIP6]:53 -r $RIP6_1 -i" "-a -u [$VIP6]:53 -r $RIP6_2 -i" \
	"-A -t [$VIP6]:81 -s rr" "-a -t [$VIP6]:81 -r $RIP6_1 -i"
ktap_eq "-ln: [VIP]:80 real servers are Tunnel" "Tunnel Tunnel" \
	"$(dest_field "TCP [$VIP6]:80" "[$RIP6_1]:80" forward) $(dest_field "TCP [$VIP6]:80" "[$RIP6_2]:80" forward)"

# ---- TCP
out=$(curl_times 4 "http://[$VIP6]/cgi-bin/who")
names=$(awk '{ print $1 }' <<<"$out" | xargs)
# shellcheck disable=SC2086
alternates $names
ktap_result "TCP [VIP]:80: 4 connections alternate rs1 (lvs0) / rs2 (ip6tnl0) (got: $names)" $?
ktap_eq "TCP [VIP]:80: the real servers see the client's address" "[$CIP6]" \
	"$(awk '{ print $2 }' <<<"$out" | sort -u | xargs)"

# ---- UDP
out=$(ip netns exec cli python3 "$PEER6" udp-ask "$VIP6" 53 4)
names=$(awk '{ print $1 }' <<<"$out" | xargs)
# shellcheck disable=SC2086
alternates $names
ktap_result "UDP [VIP]:53: 4 flows alternate rs1/rs2 (got: $names)" $?
ktap_eq "UDP [VIP]:53: servers see $CIP6, answers come from [$VIP6]:53" \
	"$CIP6 [$VIP6]:53" \
	"$(awk '{ print $2, $4 }' <<<"$out" | sort -u | xargs)"

# ---- path MTU: the client sends full-sized segments, which do not fit
# in the tunnel; the director answers them with Packet Too Big for the
# link MTU minus the outer header, and the client sends smaller ones.
head -c "$BLOB_SIZE" /dev/urandom >"$LVS_WORK/blob"
got=$(ip netns exec cli python3 "$PEER6" blob-put "$VIP6" 81 \
      "$LVS_WORK/blob" 2>&1)
ktap_eq "300 kB upload to rs1 through the tunnel arrives intact (md5)" \
	"$(blob_want)" "$got"

got=$(ip -n cli -6 route get "$VIP6" |
      awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1) }')
ktap_eq "the client's route to the VIP learned mtu $TUN_MTU" "$TUN_MTU" "$got"

dmesg_check
ktap_finish
