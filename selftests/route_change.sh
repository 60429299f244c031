#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Route changes under running flows. The director keeps each real
# server's route in a per-CPU cache (struct ipvl_dest); a change to the
# routing tables must drop it, so that the next packet takes the new
# route. Checked with real traffic, over IPv4 and IPv6, on a NAT and a
# tunnel flow that keep their connection entries throughout (a fixed
# client port each): the real servers sit behind two routers, rta and
# rtb, and counters on both say which one the packets took.
#
#  - first via rta; then rta drops them, and the flows go unanswered:
#    they still take rta, and a route by rta can no longer deliver;
#  - the route replaced by one via rtb (another link): the flows are
#    answered again, by rtb only. A cached route left over would keep
#    them on rta, unanswered;
#  - the route deleted: no answers, counted as no_route, nothing reaches
#    rtb (which a cached route would still reach); added back via rtb:
#    answered;
#  - a packet with a firewall mark or (IPv4) a TOS that ip rules send to
#    table 100, where the route is via rta: such packets get a lookup of
#    their own and die at rta, while the flows without are still
#    answered via rtb, before and after them;
#  - IPv4, the route made one without a gateway (rtb answers ARP for the
#    real servers) and the link from rtb to rs2 cut to mtu 1000: rtb's
#    frag-needed about the tunnel packets teaches the director the path
#    MTU, which must reach the tunnel's cached route, so that the client
#    is told to send less and a 300 kB upload arrives intact;
#  - deleting the director's link the cached routes use takes no time:
#    the cache holds no device. rs3, a direct routing real server on
#    that link, has put its route there too (on IPv6 a route of its own,
#    which holds the device and so must not be cached).
#
# The cache is per CPU; the VM has one, so the flows always find the
# entry that earlier packets left.
#
#   cli                 dir                               rta
#   198.51.100.10       eth0 198.51.100.1, 2001:db8:1::1  eth0 .2, ::2
#   2001:db8:1::10      VIP 198.51.100.5, 2001:db8:1::5    |
#    |                   |                                 |
#  ==+=====br0======+====+==== 198.51.100.0/24 ============+==== 2001:db8:1::/64
#                   |    | eth1 192.0.2.1, 2001:db8:2::1   |
#          rs3 eth1 .9   |                                 |
#  ========br1======+====+========+=== 192.0.2.0/24        |
#          rs3 eth0 |             |    2001:db8:2::/64     |
#     192.0.2.9, 2001:db8:2::9    rtb eth0 .2, ::2         |
#     DR, VIP on lo, answers      (default via dir)        |
#     the client on br0           eth1 .2, ::2             eth1 .1, ::1
#  ========br2===========+========+==========+=============+==== 203.0.113.0/24
#                        |                   |                   2001:db8:3::/64
#                  rs1 .7, ::7          rs2 .8, ::8
#                  NAT, default via     TUN, VIP on tunl0 and ip6tnl0,
#                  rtb (its replies     default via rta (to the client)
#                  cross dir)
#
#  dir routes 203.0.113.0/24 and 2001:db8:3::/64 via rta at first.
#  UDP VIP:53 -> rs1:5353 (-m)   UDP VIP:54 -> rs2 (-i)   TCP VIP:81 -> rs2 (-i)
#  UDP [VIP]:53 -> [rs1]:5354 (-m)   UDP [VIP]:54 -> rs2 (-i)
#  UDP VIP:55, [VIP]:55 -> rs3 (-g)

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.5
CIP=198.51.100.10
VIP6=2001:db8:1::5
CIP6=2001:db8:1::10
RIP1=203.0.113.7
RIP2=203.0.113.8
RIP6_1=2001:db8:3::7
RIP6_2=2001:db8:3::8
RIP3=192.0.2.9
RIP6_3=2001:db8:2::9
RS_NET=203.0.113.0/24
RS_NET6=2001:db8:3::/64
SMALL_MTU=1000
# -S: no site module, whose path scans are slow on the VM's 9p root.
PEER=(python3 -S "$LIB_DIR/peer.py")
PEER6=(python3 -S "$LIB_DIR/peer6.py")

route_change_require()
{
	cmd_require nft
	v6_require
	# The real servers decapsulate on tunl0 and ip6tnl0.
	mod_loaded ipip || mod_load_tmp ipip 2>/dev/null ||
		ktap_skip_all "ipip module not available"
	mod_loaded ip6_tunnel || mod_load_tmp ip6_tunnel 2>/dev/null ||
		ktap_skip_all "ip6_tunnel module not available"
}

lvs_test_begin 25 lvs_cleanup route_change_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# router NS: forwarding on, no reverse path filter (the tunnel's answers
# come back another way than the requests went).
router()
{
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv6.conf.all.forwarding=1
}

# dual_port BRIDGE NS IFNAME ADDR4/LEN ADDR6/LEN: br_port with both.
dual_port()
{
	br_port "$1" "$2" "$3" "$4" &&
		ip -n "$2" addr add "$5" dev "$3" nodad
}

# counters NS: what rta and rtb forward toward the real servers, counted.
counters()
{
	ip netns exec "$1" nft -f - <<-EOF
	table inet rc {
		counter to_rs4 { }
		counter to_rs6 { }
		chain transit {
			type filter hook forward priority filter; policy accept;
			ip daddr $RS_NET counter name to_rs4
			ip6 daddr $RS_NET6 counter name to_rs6
		}
	}
	EOF
}

rc_rs()
{
	local ns=$1 rip=$2 rip6=$3 gw=$4 gw6=$5

	setup_ns "$ns" &&
		dual_port br2 "$ns" eth0 "$rip/24" "$rip6/64" || return 1
	ip -n "$ns" route add default via "$gw" &&
		ip -n "$ns" -6 route add default via "$gw6"
}

rc_topology()
{
	setup_ns br cli "$DIR_NS" rta rtb && br_add br0 br1 br2 || return 1
	dual_port br0 cli eth0 "$CIP/24" "$CIP6/64" &&
		dual_port br0 "$DIR_NS" eth0 198.51.100.1/24 2001:db8:1::1/64 &&
		dual_port br1 "$DIR_NS" eth1 192.0.2.1/24 2001:db8:2::1/64 &&
		dual_port br0 rta eth0 198.51.100.2/24 2001:db8:1::2/64 &&
		dual_port br2 rta eth1 203.0.113.1/24 2001:db8:3::1/64 &&
		dual_port br1 rtb eth0 192.0.2.2/24 2001:db8:2::2/64 &&
		dual_port br2 rtb eth1 203.0.113.2/24 2001:db8:3::2/64 ||
		return 1
	ip -n "$DIR_NS" addr add "$VIP/32" dev eth0 &&
		ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad || return 1
	router "$DIR_NS" && router rta && router rtb || return 1
	ip -n rtb route add default via 192.0.2.1 &&
		ip -n rtb -6 route add default via 2001:db8:2::1 || return 1
	counters rta && counters rtb || return 1

	rc_rs rs1 "$RIP1" "$RIP6_1" 203.0.113.2 2001:db8:3::2 &&
		rc_rs rs2 "$RIP2" "$RIP6_2" 203.0.113.1 2001:db8:3::1 || return 1
	ip netns exec rs2 sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0 || return 1
	ip -n rs2 link set tunl0 up && ip -n rs2 link set ip6tnl0 up &&
		ip -n rs2 addr add "$VIP/32" dev tunl0 &&
		ip -n rs2 addr add "$VIP6/128" dev ip6tnl0 nodad || return 1

	# The direct routing real server, on the director's second link; it
	# answers the client on br0.
	setup_ns rs3 && dual_port br1 rs3 eth0 "$RIP3/24" "$RIP6_3/64" &&
		dual_port br0 rs3 eth1 198.51.100.9/24 2001:db8:1::9/64 ||
		return 1
	ip netns exec rs3 sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 \
		net.ipv4.conf.eth1.arp_ignore=1 net.ipv4.conf.eth1.arp_announce=2 &&
		rs_vip rs3 && ip -n rs3 addr add "$VIP6/128" dev lo || return 1

	ip -n "$DIR_NS" route add "$RS_NET" via 198.51.100.2 &&
		ip -n "$DIR_NS" -6 route add "$RS_NET6" via 2001:db8:1::2 ||
		return 1

	lvs_bg ip netns exec rs1 "${PEER[@]}" udp-serve rs1 5353
	lvs_bg ip netns exec rs1 "${PEER6[@]}" udp-serve rs1 5354
	# Bound to the VIP: a tunnel real server answers from it.
	lvs_bg ip netns exec rs2 "${PEER[@]}" udp-serve rs2 54 "$VIP"
	lvs_bg ip netns exec rs2 "${PEER6[@]}" udp-serve rs2 54 "$VIP6"
	lvs_bg ip netns exec rs2 "${PEER[@]}" blob-serve 81 /dev/null
	lvs_bg ip netns exec rs3 "${PEER[@]}" udp-serve rs3 55 "$VIP"
	lvs_bg ip netns exec rs3 "${PEER6[@]}" udp-serve rs3 55 "$VIP6"
	wait_udp rs1 5353 && wait_udp rs1 5354 && wait_sock rs2 -Hlun 54 20 &&
		wait_listen rs2 81 && wait_sock rs3 -Hlun 55 20
}

lvs_workdir
rc_topology || { ktap_fail "topology"; ktap_finish; }

# ------------------------------------------------------------ helpers

# Set by use_family 4 or 6 for the helpers below.
FAM=
use_family()
{
	FAM=$1
	if [ "$FAM" = 4 ]; then
		F_PEER=("${PEER[@]}") F_VIP=$VIP F_NET=$RS_NET
		F_RTB=192.0.2.2 F_MATCH="ip daddr"
	else
		F_PEER=("${PEER6[@]}") F_VIP=$VIP6 F_NET=$RS_NET6
		F_RTB=2001:db8:2::2 F_MATCH="ip6 daddr"
	fi
}

# dir_route ARGS...: "ip route ARGS" on the director, for FAM.
dir_route()
{
	ip -n "$DIR_NS" "-$FAM" route "$@"
}

# to_rs NS: packets for the real servers (FAM) that NS forwarded so far.
to_rs()
{
	ip netns exec "$1" nft list counter inet rc "to_rs$FAM" |
		awk '$1 == "packets" { print $2 }'
}

# flows FLOW...: one datagram on each flow (peer.py udp-flows), then the
# servers that answered ("timeout" for none) and how many packets for
# the real servers rta and rtb forwarded meanwhile.
flows()
{
	local a b names

	a=$(to_rs rta)
	b=$(to_rs rtb)
	names=$(ip netns exec cli "${F_PEER[@]}" udp-flows "$F_VIP" "$@" |
		awk '{ print $1 }' | xargs)
	echo "$names; rta $(($(to_rs rta) - a)), rtb $(($(to_rs rtb) - b))"
}

# rta_drops: from now on rta drops what it would forward to the real
# servers (FAM), without telling anyone.
rta_drops()
{
	local t=ip

	[ "$FAM" = 6 ] && t=ip6
	ip netns exec rta nft -f - <<-EOF
	table $t rc_block {
		chain transit {
			type filter hook forward priority filter + 10; policy accept;
			$F_MATCH $F_NET drop
		}
	}
	EOF
}

# no_route: the director's no_route drop counter (lvsadm only).
no_route()
{
	adm --info | awk '$1 == "no_route" { print $2 }'
}

# conn_entries SPORT...: how many connection entries each client port has.
conn_entries()
{
	local cip=$CIP p

	[ "$FAM" = 6 ] && cip="[$CIP6]"
	adm -lnc >"$LVS_WORK/conns"
	for p in "$@"; do
		awk -v s="$cip:$p" '$1 == "UDP" && $4 == s' "$LVS_WORK/conns" |
			wc -l
	done | xargs
}

# route_mtu NS DEST: the mtu "ip route get" reports (cached exception).
route_mtu()
{
	ip -n "$1" route get "$2" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1) }'
}

# gone PID: true once process PID has ended.
gone()
{
	! kill -0 "$1" 2>/dev/null
}

# The NAT flow (to rs1) and the tunnel flow (to rs2), by client port.
NAT_FLOW=40053:53
TUN_FLOW=40054:54

# route_checks 4|6: the route changes of the header, for one family.
route_checks()
{
	local v=IPv$1 n drops mark_flows mark_want marks=mark

	use_family "$1"
	ktap_eq "$v via rta: the NAT and the tunnel flow are answered, through rta" \
		"rs1 rs2; rta 2, rtb 0" "$(flows $NAT_FLOW $TUN_FLOW)"

	rta_drops
	ktap_eq "$v rta dropping: the flows still take rta and go unanswered" \
		"timeout timeout; rta 2, rtb 0" "$(flows $NAT_FLOW $TUN_FLOW)"

	dir_route replace "$F_NET" via "$F_RTB"
	ktap_eq "$v route replaced by one via rtb: the same flows are answered, through rtb only" \
		"rs1 rs2; rta 0, rtb 2" "$(flows $NAT_FLOW $TUN_FLOW)"
	ktap_eq "$v each flow kept its one connection entry" "1 1" \
		"$(conn_entries 40053 40054)"

	drops=$(no_route)
	dir_route del "$F_NET"
	ktap_eq "$v route deleted: no answers, nothing reaches rtb" \
		"timeout timeout; rta 0, rtb 0" "$(flows $NAT_FLOW $TUN_FLOW)"
	if [ "${ADM_BIN##*/}" = lvsadm ]; then
		n=$(no_route)
		ktap_eq "$v route deleted: both packets counted as no_route" \
			2 "$((n - drops))"
	else
		ktap_skip "$v route deleted: no_route counted" "$ADM has no drop counters"
	fi

	dir_route add "$F_NET" via "$F_RTB"
	ktap_eq "$v route added back via rtb: answered through rtb" \
		"rs1 rs2; rta 0, rtb 2" "$(flows $NAT_FLOW $TUN_FLOW)"

	# The unmarked flows before the marked (and TOS 0x10) ones find the
	# cached route, which must not serve these; the new ones after them
	# (40055, 40056) show that the routes of these were not cached.
	mark_flows="40153:53 40154:54" mark_want="timeout timeout" n=2
	if [ "$FAM" = 4 ]; then
		mark_flows+=" 40253:53:0x10 40254:54:0x10"
		mark_want+=" timeout timeout" n=4 marks=mark/TOS
	fi
	if [ "$LVS_MOD" != ip_vs_lite ]; then
		ktap_skip "$v marked packets get their own route" \
			"$LVS_MOD routes them by the real server's cached route"
		return
	fi
	# shellcheck disable=SC2086
	ktap_eq "$v $marks to table 100 (via rta): those packets take rta, the others rtb" \
		"rs1 rs2 $mark_want rs1 rs2; rta $n, rtb 4" \
		"$(flows $NAT_FLOW $TUN_FLOW $mark_flows 40055:53 40056:54)"
}

# --------------------------------------------------------------- tests

# One -R instead of a command per line: every process is slow under TCG.
cat >"$LVS_WORK/rules" <<EOF
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RIP1:5353 -m
-A -u $VIP:54 -s rr
-a -u $VIP:54 -r $RIP2 -i
-A -t $VIP:81 -s rr
-a -t $VIP:81 -r $RIP2 -i
-A -u [$VIP6]:53 -s rr
-a -u [$VIP6]:53 -r [$RIP6_1]:5354 -m
-A -u [$VIP6]:54 -s rr
-a -u [$VIP6]:54 -r [$RIP6_2] -i
-A -u $VIP:55 -s rr
-a -u $VIP:55 -r $RIP3 -g
-A -u [$VIP6]:55 -s rr
-a -u [$VIP6]:55 -r [$RIP6_3] -g
EOF
ktap_check "services (-R): UDP VIP:53 NAT, UDP VIP:54 and TCP VIP:81 tunnel, UDP VIP:55 DR, both families" \
	adm -R <"$LVS_WORK/rules"

# Marked packets (nft on the director) and, for IPv4, TOS 0x10 ones
# look routes up in table 100, where the real servers are via rta.
ip netns exec "$DIR_NS" nft -f - <<EOF
table inet rc_mark {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		udp sport { 40153, 40154 } meta mark set 1
	}
}
EOF
ip -n "$DIR_NS" rule add fwmark 1 lookup 100
ip -n "$DIR_NS" rule add tos 0x10 lookup 100
ip -n "$DIR_NS" -6 rule add fwmark 1 lookup 100
ip -n "$DIR_NS" route add "$RS_NET" via 198.51.100.2 table 100
ip -n "$DIR_NS" -6 route add "$RS_NET6" via 2001:db8:1::2 table 100

route_checks 4
route_checks 6

# ---- path MTU of a tunnel real server on a link without a gateway.
# rs2's MSS lets the client send 1000-byte packets, 1020 once wrapped,
# which rtb cannot forward to rs2: its frag-needed teaches the director
# the path MTU, an exception that must replace the cached route, or the
# director never tells the client, which keeps sending too much.
ip netns exec rtb sysctl -qw net.ipv4.conf.eth0.proxy_arp=1 \
	net.ipv4.neigh.eth0.proxy_delay=0
ip -n rtb link set eth1 mtu "$SMALL_MTU"
ip -n rs2 link set eth0 mtu "$SMALL_MTU"
ip -n "$DIR_NS" route replace "$RS_NET" dev eth1
# The director's own tunl0 stays down, so that the ipip module never
# learns the path MTU on ip_vs_lite's behalf.
ip -n "$DIR_NS" link show tunl0 2>/dev/null | grep -q ',UP' &&
	ktap_diag "warning: tunl0 is up in $DIR_NS"

use_family 4
ktap_eq "IPv4 route by rtb without a gateway: the flows are answered, through rtb" \
	"rs1 rs2; rta 0, rtb 2" "$(flows $NAT_FLOW $TUN_FLOW)"
head -c "$BLOB_SIZE" /dev/urandom >"$LVS_WORK/blob"
got=$(ip netns exec cli "${PEER[@]}" blob-put "$VIP" 81 "$LVS_WORK/blob" 2>&1)
ktap_eq "300 kB upload to rs2 over the mtu $SMALL_MTU link arrives intact (md5)" \
	"$(blob_want)" "$got"
ktap_eq "the director learned the tunnel path MTU to rs2" "$SMALL_MTU" \
	"$(route_mtu "$DIR_NS" "$RIP2")"
ktap_eq "the client's route to the VIP learned mtu $((SMALL_MTU - 20))" \
	"$((SMALL_MTU - 20))" "$(route_mtu cli "$VIP")"

# ---- the cached routes (IPv4 and IPv6) now go by eth1, DR to rs3
# included: deleting it must not wait for them to let go of the device.
for fam in 4 6; do
	use_family $fam
	ktap_eq "IPv$fam DR flow to rs3 on eth1: answered" \
		"rs3; rta 0, rtb 0" "$(flows 40057:55)"
done
ip -n "$DIR_NS" link del eth1 &
pid=$!
start=${EPOCHREALTIME/[.,]/}
wait_until 10 gone $pid
rc=$?
ms=$(((${EPOCHREALTIME/[.,]/} - start) / 1000))
ktap_result "deleting eth1 under the cached routes finishes ($ms ms)" $rc

dmesg_check
ktap_finish
