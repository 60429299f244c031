#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LVS/TUN (IP-in-IP, -i): the director wraps the client's packet in an
# IPIP header to a real server behind a router; the real server unwraps
# it on tunl0, where it holds the VIP, and answers the client directly
# through its own gateway. Checked with real traffic: TCP and UDP through
# the tunnel (rr alternates, the servers see the client's address,
# answers come from the VIP), path MTU (a 1000-byte link on the way to
# rs1: a 300 kB upload arrives intact, the director learns the tunnel
# path MTU 1000 and the client learns 980 for the VIP), and a real
# server the director has no route to.
#
#   cli 198.51.100.10    dir 198.51.100.1           rtr 198.51.100.254
#        |               VIP 198.51.100.5 (eth0)          |
#        |                      |                         |
#  ======+==========br0=========+=========================+=====  198.51.100.0/24
#                                                   r1    |    r2
#                                  203.0.113.5/30 +------+------+ 203.0.113.9/30
#                                 (later mtu 1000) |             |
#                                    rs1 203.0.113.6       rs2 203.0.113.10
#                       VIP on tunl0, default route via rtr, rp_filter 0
#
#  dir routes 203.0.113.4/30 and 203.0.113.8/30 via rtr, nothing else:
#  203.0.113.14 (the unreachable real server) has no route.
#
#  TCP VIP:80 (httpd), UDP VIP:53 -> rs1 | rs2 (rr, -i)
#  TCP VIP:81 -> rs1 (uploads)      TCP VIP:25 -> rs1 | 203.0.113.14

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.5
CIP=198.51.100.10
DIP=198.51.100.1
RTR=198.51.100.254
RIP1=203.0.113.6
RIP2=203.0.113.10
RIP_NOROUTE=203.0.113.14
# -S: no site module, whose path scans are slow on the VM's 9p root.
PEER=(python3 -S "$LIB_DIR/peer.py")
SMALL_MTU=1000

tun_require()
{
	cmd_require python3
	# The real servers decapsulate with the ipip module's tunl0.
	mod_loaded ipip || mod_load_tmp ipip 2>/dev/null ||
		ktap_skip_all "ipip module not available"
}

lvs_test_begin 14 lvs_cleanup tun_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# tun_rs NS N: real server N behind rtr on 203.0.113.(4N)/30. It takes
# the VIP on tunl0 and must not drop decapsulated packets whose source
# (the client) it reaches through eth0, hence rp_filter 0.
tun_rs()
{
	local ns=$1 n=$2 gw=203.0.113.$(($2 * 4 + 1))
	local rip=203.0.113.$(($2 * 4 + 2))

	setup_ns "$ns" && ns_link rtr "r$n" "$gw/30" "$ns" eth0 "$rip/30" ||
		return 1
	ip -n "$ns" route add default via "$gw"
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0 || return 1
	ip -n "$ns" link set tunl0 up
	ip -n "$ns" addr add "$VIP/32" dev tunl0
	rs_servers "$ns"
	# Bound to the VIP: the answer must leave from it, not from eth0.
	lvs_bg ip netns exec "$ns" "${PEER[@]}" udp-serve "$ns" 53 "$VIP"
}

tun_topology()
{
	setup_ns br cli "$DIR_NS" rtr && br_add br0 || return 1
	seg_attach cli "$CIP" && seg_attach "$DIR_NS" "$DIP" &&
		seg_attach rtr "$RTR" || return 1
	ip -n "$DIR_NS" addr add "$VIP/32" dev eth0
	ip netns exec rtr sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	tun_rs rs1 1 && tun_rs rs2 2 || return 1
	ip -n "$DIR_NS" route add 203.0.113.4/30 via "$RTR" &&
		ip -n "$DIR_NS" route add 203.0.113.8/30 via "$RTR" || return 1

	lvs_bg ip netns exec rs1 "${PEER[@]}" blob-serve 81 /dev/null
	wait_listen rs1 80 && wait_listen rs2 80 && wait_listen rs1 25 &&
		wait_listen rs1 81 && wait_udp rs1 53 && wait_udp rs2 53
}

lvs_workdir
tun_topology || { ktap_fail "topology"; ktap_finish; }

# drop_count NAME: a drop counter of "$ADM --info" (lvsadm only).
drop_count()
{
	adm --info | awk -v n="$1" '$1 == n { print $2 }'
}

# check_drops NAME DESC: one test point, NAME counted at least once.
check_drops()
{
	local n

	if [ "${ADM_BIN##*/}" != lvsadm ]; then
		ktap_skip "$2" "$ADM has no drop counters"
		return
	fi
	n=$(drop_count "$1")
	[ -n "$n" ] && [ "$n" -gt 0 ]
	ktap_result "$2 (--info: $1 ${n:-missing})" $?
}

# --------------------------------------------------------------- tests

# One -R instead of a command per line: every process is slow under TCG.
cat >"$LVS_WORK/rules" <<EOF
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RIP1 -i
-a -t $VIP:80 -r $RIP2 -i
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RIP1 -i
-a -u $VIP:53 -r $RIP2 -i
-A -t $VIP:81 -s rr
-a -t $VIP:81 -r $RIP1 -i
-A -t $VIP:25 -s rr
-a -t $VIP:25 -r $RIP1 -i
-a -t $VIP:25 -r $RIP_NOROUTE -i
EOF
ktap_check "tunnel services (-R): TCP VIP:80, VIP:81, VIP:25, UDP VIP:53" \
	adm -R <"$LVS_WORK/rules"
ktap_eq "-ln: VIP:80 real servers are Tunnel" "Tunnel Tunnel" \
	"$(dest_field "TCP $VIP:80" "$RIP1:80" forward) $(dest_field "TCP $VIP:80" "$RIP2:80" forward)"

# ---- TCP
out=$(http_seq 4 /cgi-bin/who)
names=$(awk 'NF { print $1 }' <<<"$out" | xargs)
seen=$(awk 'NF { print $2 }' <<<"$out" | v4 | sort -u | xargs)
# shellcheck disable=SC2086
alternates $names
ktap_result "TCP VIP:80: 4 connections alternate rs1/rs2 (got: $names)" $?
ktap_eq "TCP VIP:80: the real servers see the client's address" "$CIP" "$seen"

# ---- UDP
out=$(ip netns exec cli "${PEER[@]}" udp-ask "$VIP" 53 4)
names=$(awk '{ print $1 }' <<<"$out" | xargs)
# shellcheck disable=SC2086
alternates $names
ktap_result "UDP VIP:53: 4 flows alternate rs1/rs2 (got: $names)" $?
ktap_eq "UDP VIP:53: servers see $CIP, answers come from $VIP:53" \
	"$CIP $VIP:53" \
	"$(awk '{ print $2, $3 }' <<<"$out" | sort -u | xargs)"

# ---- path MTU: the tunnel to rs1 crosses a 1000-byte link. rs1's MSS
# lets the client send 1000-byte packets, 1020 once wrapped: rtr's
# frag-needed about the IPIP packets teaches the director the tunnel's
# path MTU, and the director passes it on to the client minus 20 bytes.
ip -n rtr link set r1 mtu "$SMALL_MTU"
ip -n rs1 link set eth0 mtu "$SMALL_MTU"
# The director's own tunl0 stays down, so that the ipip module never
# learns the path MTU on ip_vs_lite's behalf.
ip -n "$DIR_NS" link show tunl0 2>/dev/null | grep -q ',UP' &&
	ktap_diag "warning: tunl0 is up in $DIR_NS"

head -c "$BLOB_SIZE" /dev/urandom >"$LVS_WORK/blob"
got=$(ip netns exec cli "${PEER[@]}" blob-put "$VIP" 81 \
      "$LVS_WORK/blob" 2>&1)
ktap_eq "300 kB upload to rs1 over the mtu $SMALL_MTU link arrives intact (md5)" \
	"$(blob_want)" "$got"

# route_mtu NS DEST: the mtu "ip route get" reports (cached exception).
route_mtu()
{
	ip -n "$1" route get "$2" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1) }'
}

ktap_eq "the director learned the tunnel path MTU to rs1" "$SMALL_MTU" \
	"$(route_mtu "$DIR_NS" "$RIP1")"
ktap_eq "the client's route to the VIP learned mtu $((SMALL_MTU - 20))" \
	"$((SMALL_MTU - 20))" "$(route_mtu cli "$VIP")" ||
	ktap_diag "$(ip -n cli route get "$VIP")"
check_drops too_big "packets too big for the tunnel are counted"

# ---- a real server without a route on the director: its connections
# fail (the client times out), the others go on.
seq=$(smtp_seq 4 25)
# shellcheck disable=SC2086
ktap_eq "VIP:25, rs1 and unreachable $RIP_NOROUTE: 4 connections, 2 answered by rs1, 2 fail" \
	"2 2" "$(count rs1 $seq) $(count none $seq)"
check_drops no_route "packets for the unreachable real server are counted"
ktap_eq "VIP:80 still reaches rs1 and rs2 afterwards" 2 \
	"$(http_seq 2 / | sort -u | grep -c '^rs[12]$')"

dmesg_check
ktap_finish
