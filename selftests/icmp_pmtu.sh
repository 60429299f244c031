#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnel path MTU under forged ICMP. The director learns the path MTU to
# a tunnel real server from "fragmentation needed" (IPv4) or "packet too
# big" (IPv6) about its own IP-in-IP (IPv6-in-IPv6) packets. Anyone can
# send such an error to the director, so it must only be believed when it
# quotes a tunnel packet to a real server, of a connection that exists,
# with an MTU the kernel would take without clamping it.
#
# For each family, with real packets:
#  - genuine: a 300 kB upload through the tunnel to rs1 crosses rtr's
#    1400-byte link; rtr's error teaches the director the path MTU to
#    rs1 and the client learns it for the VIP (minus the outer header);
#  - forged, from the client, to the director's address and to the VIP:
#    errors quoting a tunnel packet to a stranger (not a real server), to
#    rs2 about no connection, to a stranger about rs2's live connection,
#    and about rs2's live connection with MTUs below the minimum, all
#    leave the director's routes alone; the same error about the live
#    connection with a plausible MTU is taken, as rtr's would be.
# Every forged error still reaches the director's own stack (its ICMP
# input counters count them). With pmtu_disc 0 a DF datagram too big for
# the tunnel is fragmented instead of refused.
#
#   cli 198.51.100.10   dir 198.51.100.1              rtr 198.51.100.254
#       2001:db8:1::10      2001:db8:1::1                 2001:db8:1::fe
#        |              VIP 198.51.100.5, 2001:db8:1::5    |
#        |                   (eth0)  |                     |
#  ======+=============br0===========+=====================+======
#                                                     r1   |   r2
#                   203.0.113.5/30, 2001:db8:2:1::1/64 +---+---+ 203.0.113.9/30,
#                                  (mtu 1400)          |       | 2001:db8:2:2::1/64
#                   rs1 203.0.113.6, 2001:db8:2:1::7 --+       +-- rs2 203.0.113.10,
#                                                                  2001:db8:2:2::7
#     real servers: VIP on tunl0, VIP6 on ip6tnl0, default routes via rtr
#
#  dir: default routes via rtr in both families, so that the strangers
#  203.0.113.77/.78 and 2001:db8:ff::77/::78 have a route whose path MTU
#  a forged error could lower.
#
#  TCP VIP:81, [VIP6]:82 -> rs1 (-i, uploads)
#  UDP VIP:54, [VIP6]:54 -> rs2 (-i, the live connection forged errors name)

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.5
CIP=198.51.100.10
DIP=198.51.100.1
RTR=198.51.100.254
RIP1=203.0.113.6
RIP2=203.0.113.10
STRANGER=203.0.113.77
STRANGER2=203.0.113.78
VIP6=2001:db8:1::5
CIP6=2001:db8:1::10
DIP6=2001:db8:1::1
RTR6=2001:db8:1::fe
RIP6_1=2001:db8:2:1::7
RIP6_2=2001:db8:2:2::7
STRANGER6=2001:db8:ff::77
STRANGER6_2=2001:db8:ff::78
SMALL_MTU=1400
# Plausible path MTUs for the forged errors, and ones below what the
# kernel takes unclamped (net.ipv4.route.min_pmtu 552, IPv6's 1280).
FORGED_MTU=1300
LOW_MTU4="0 68 551"
LOW_MTU6="0 1000 1279"
CPORT=40000
# -S: no site module, whose path scans are slow on the VM's 9p root.
PEER=(python3 -S "$LIB_DIR/peer.py")
PEER6=(python3 -S "$LIB_DIR/peer6.py")

pmtu_require()
{
	v6_require
	mod_loaded ipip || mod_load_tmp ipip 2>/dev/null ||
		ktap_skip_all "ipip module not available"
	mod_loaded ip6_tunnel || mod_load_tmp ip6_tunnel 2>/dev/null ||
		ktap_skip_all "ip6_tunnel module not available"
}

lvs_test_begin 29 lvs_cleanup pmtu_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# pmtu_rs NS N: real server N behind rtr, on 203.0.113.(4N)/30 and
# 2001:db8:2:N::/64, holding the VIPs on the fallback tunnel devices.
pmtu_rs()
{
	local ns=$1 n=$2 gw=203.0.113.$(($2 * 4 + 1)) gw6=2001:db8:2:$2::1
	local rip=203.0.113.$(($2 * 4 + 2)) rip6=2001:db8:2:$2::7

	setup_ns "$ns" && ns_link rtr "r$n" "$gw/30" "$ns" eth0 "$rip/30" ||
		return 1
	ip -n rtr addr add "$gw6/64" dev "r$n" nodad &&
		ip -n "$ns" addr add "$rip6/64" dev eth0 nodad || return 1
	ip -n "$ns" route add default via "$gw" &&
		ip -n "$ns" -6 route add default via "$gw6" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0 || return 1
	ip -n "$ns" link set tunl0 up && ip -n "$ns" link set ip6tnl0 up &&
		ip -n "$ns" addr add "$VIP/32" dev tunl0 &&
		ip -n "$ns" addr add "$VIP6/128" dev ip6tnl0 nodad
}

pmtu_topology()
{
	setup_ns br cli "$DIR_NS" rtr && br_add br0 || return 1
	br_port br0 cli eth0 "$CIP/24" && br_port br0 "$DIR_NS" eth0 "$DIP/24" &&
		br_port br0 rtr eth0 "$RTR/24" || return 1
	ip -n cli addr add "$CIP6/64" dev eth0 nodad &&
		ip -n "$DIR_NS" addr add "$DIP6/64" dev eth0 nodad &&
		ip -n rtr addr add "$RTR6/64" dev eth0 nodad || return 1
	ip -n "$DIR_NS" addr add "$VIP/32" dev eth0 &&
		ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad || return 1
	ip netns exec rtr sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv6.conf.all.forwarding=1 || return 1
	pmtu_rs rs1 1 && pmtu_rs rs2 2 || return 1
	ip -n "$DIR_NS" route add default via "$RTR" &&
		ip -n "$DIR_NS" -6 route add default via "$RTR6" || return 1

	lvs_bg ip netns exec rs1 "${PEER[@]}" blob-serve 81 /dev/null
	lvs_bg ip netns exec rs1 "${PEER6[@]}" blob-serve 82 /dev/null
	lvs_bg ip netns exec rs2 "${PEER[@]}" udp-serve rs2 54 "$VIP"
	lvs_bg ip netns exec rs2 "${PEER6[@]}" udp-serve rs2 54 "$VIP6"
	wait_listen rs1 81 && wait_listen rs1 82 && wait_udp rs2 54 &&
		wait_sock rs2 -Hlun6 54 20
}

lvs_workdir
pmtu_topology || { ktap_fail "topology"; ktap_finish; }

# ------------------------------------------------------------- helpers

# The forger: one ICMP error per MTU, about a tunnel packet, sent from
# the client to the director with a raw socket.
#   forge.py 4|6 TO OUTER-SRC OUTER-DST INNER-SRC INNER-DST SPORT DPORT MTU...
# The quote is the outer header (IPIP, or next header 41) of a packet
# from OUTER-SRC to OUTER-DST, then the inner header of a UDP datagram
# INNER-SRC:SPORT -> INNER-DST:DPORT with its first 8 bytes, as a router
# quotes what it could not forward.
cat >"$LVS_WORK/forge.py" <<'EOF'
import socket
import struct
import sys


def csum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, length):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 1, 0x4000, 64, proto,
                    0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def ip6(src, dst, nexthdr, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, payload, nexthdr, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst))


def main(fam, to, osrc, odst, isrc, idst, sport, dport, *mtus):
    udp = struct.pack("!HHHH", int(sport), int(dport), 1400 - 48, 0)
    if fam == "4":
        quote = ip4(osrc, odst, 4, 1420) + ip4(isrc, idst, 17, 1400) + udp
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                          socket.IPPROTO_ICMP)
    else:
        quote = ip6(osrc, odst, 41, 1440) + ip6(isrc, idst, 17, 1400) + udp
        # The kernel fills in an ICMPv6 checksum.
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_ICMPV6)
    for mtu in mtus:
        if fam == "4":
            h = struct.pack("!BBHHH", 3, 4, 0, 0, int(mtu)) + quote
            msg = h[:2] + struct.pack("!H", csum(h)) + h[4:]
        else:
            msg = struct.pack("!BBHI", 2, 0, 0, int(mtu)) + quote
        s.sendto(msg, (to, 0))


main(*sys.argv[1:])
EOF

# dir_icmp_in 4|6: the director's count of received "destination
# unreachable" (IPv4) or "packet too big" (IPv6) messages.
dir_icmp_in()
{
	# shellcheck disable=SC2016 # awk's own fields
	if [ "$1" = 4 ]; then
		ip netns exec "$DIR_NS" awk '$1 == "Icmp:" {
			if (!n) { for (i = 2; i <= NF; i++) col[$i] = i; n = 1 }
			else print $col["InDestUnreachs"] }' /proc/net/snmp
	else
		ip netns exec "$DIR_NS" awk '$1 == "Icmp6InPktTooBigs" { print $2 }' \
			/proc/net/snmp6
	fi
}

ICMP_SEEN=
# icmp_seen FAM N: true once the director's stack has counted N more
# errors than ICMP_BASE.
icmp_seen()
{
	ICMP_SEEN=$(($(dir_icmp_in "$1") - ICMP_BASE))
	[ "$ICMP_SEEN" -ge "$2" ]
}

FORGED=0
# forge FAM OUTER-DST INNER-SPORT MTU...: the errors forge.py makes for
# each MTU, sent to the director's address and to the VIP, quoting a
# tunnel packet from the director's address to OUTER-DST whose inner
# datagram goes from the client's INNER-SPORT to VIP:54. Waits until the
# director's stack has received them all; FORGED counts those missing.
forge()
{
	local fam=$1 odst=$2 sport=$3 dip=$DIP vip=$VIP cip=$CIP n to

	shift 3
	[ "$fam" = 6 ] && dip=$DIP6 vip=$VIP6 cip=$CIP6
	n=$((2 * $#))
	ICMP_BASE=$(dir_icmp_in "$fam")
	for to in "$dip" "$vip"; do
		ip netns exec cli python3 -S "$LVS_WORK/forge.py" "$fam" "$to" \
			"$dip" "$odst" "$cip" "$vip" "$sport" 54 "$@"
	done
	wait_until 10 icmp_seen "$fam" "$n" ||
		FORGED=$((FORGED + n - ICMP_SEEN))
}

# route_mtu DEST: the path MTU the director's route to DEST has learned
# ("lock 552" for a locked one), "none" if it has not.
route_mtu()
{
	local m

	m=$(ip -n "$DIR_NS" route get "$1" | awk '{
		for (i = 1; i < NF; i++)
			if ($i == "mtu")
				print ($(i + 1) == "lock") ? "lock " $(i + 2) : $(i + 1)
		}')
	echo "${m:-none}"
}

# forged_checks FAM RIP2 STRANGER STRANGER2 LOW-MTUS: the forged errors
# of one family, six test points.
forged_checks()
{
	local fam=$1 rip2=$2 stranger=$3 stranger2=$4 low=$5 what

	what="forged $([ "$fam" = 4 ] && echo "frag-needed" || echo "packet too big")"
	# shellcheck disable=SC2086 # the MTUs are words
	forge "$fam" "$stranger" $((CPORT + 1)) $FORGED_MTU
	ktap_eq "$what (mtu $FORGED_MTU) quoting a tunnel packet to stranger $stranger: no path MTU learned" \
		none "$(route_mtu "$stranger")"
	forge "$fam" "$rip2" $((CPORT + 1)) $FORGED_MTU
	ktap_eq "$what (mtu $FORGED_MTU) quoting a tunnel packet to rs2 of no connection: no path MTU learned" \
		none "$(route_mtu "$rip2")"
	forge "$fam" "$stranger2" "$CPORT" $FORGED_MTU
	ktap_eq "$what (mtu $FORGED_MTU) naming rs2's connection, quoting a tunnel packet to stranger $stranger2: no path MTU learned" \
		none "$(route_mtu "$stranger2")"
	# shellcheck disable=SC2086
	forge "$fam" "$rip2" "$CPORT" $low
	ktap_eq "$what naming rs2's connection, mtu $low (below the minimum): no path MTU learned" \
		none "$(route_mtu "$rip2")"
	forge "$fam" "$rip2" "$CPORT" $FORGED_MTU
	ktap_eq "$what naming rs2's connection, mtu $FORGED_MTU: rs2's path MTU is learned" \
		$FORGED_MTU "$(route_mtu "$rip2")"
	ktap_eq "IPv$fam: every forged error reached the director's stack" \
		0 "$FORGED"
	FORGED=0
}

# --------------------------------------------------------------- tests

cat >"$LVS_WORK/rules" <<EOF
-A -t $VIP:81 -s rr
-a -t $VIP:81 -r $RIP1 -i
-A -u $VIP:54 -s rr
-a -u $VIP:54 -r $RIP2 -i
-A -t [$VIP6]:82 -s rr
-a -t [$VIP6]:82 -r $RIP6_1 -i
-A -u [$VIP6]:54 -s rr
-a -u [$VIP6]:54 -r $RIP6_2 -i
EOF
ktap_check "tunnel services (-R): TCP VIP:81, [VIP6]:82 -> rs1; UDP VIP:54, [VIP6]:54 -> rs2" \
	adm -R <"$LVS_WORK/rules"

# The director's own tunnel devices stay down, so that ipip and
# ip6_tunnel never learn a path MTU on ip_vs_lite's behalf.
for dev in tunl0 ip6tnl0; do
	ip -n "$DIR_NS" link show "$dev" 2>/dev/null | grep -q ',UP' &&
		ktap_diag "warning: $dev is up in $DIR_NS"
done
ip -n rtr link set r1 mtu "$SMALL_MTU"
ip -n rs1 link set eth0 mtu "$SMALL_MTU"
head -c "$BLOB_SIZE" /dev/urandom >"$LVS_WORK/blob"

# ---- IPv4
ktap_eq "IPv4: no path MTU to rs1, rs2 or the strangers before the test" \
	"none none none none" \
	"$(route_mtu "$RIP1") $(route_mtu "$RIP2") $(route_mtu "$STRANGER") $(route_mtu "$STRANGER2")"

got=$(ip netns exec cli "${PEER[@]}" blob-put "$VIP" 81 "$LVS_WORK/blob" 2>&1)
ktap_eq "IPv4: 300 kB upload to rs1 over the mtu $SMALL_MTU link arrives intact (md5)" \
	"$(blob_want)" "$got"
ktap_eq "IPv4: rtr's frag-needed taught the director the path MTU to rs1" \
	"$SMALL_MTU" "$(route_mtu "$RIP1")"
ktap_eq "IPv4: the client's route to the VIP learned mtu $((SMALL_MTU - 20))" \
	"$((SMALL_MTU - 20))" "$(ip -n cli route get "$VIP" |
	awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1) }')"

got=$(ip netns exec cli "${PEER[@]}" udp-flows "$VIP" "$CPORT:54")
ktap_eq "IPv4: live UDP connection $CIP:$CPORT -> VIP:54 -> rs2" \
	"rs2 $CIP $VIP:54" "$got"
forged_checks 4 "$RIP2" "$STRANGER" "$STRANGER2" "$LOW_MTU4"

# ---- IPv6
ktap_eq "IPv6: no path MTU to rs1, rs2 or the strangers before the test" \
	"none none none none" \
	"$(route_mtu "$RIP6_1") $(route_mtu "$RIP6_2") $(route_mtu "$STRANGER6") $(route_mtu "$STRANGER6_2")"

got=$(ip netns exec cli "${PEER6[@]}" blob-put "$VIP6" 82 "$LVS_WORK/blob" 2>&1)
ktap_eq "IPv6: 300 kB upload to rs1 over the mtu $SMALL_MTU link arrives intact (md5)" \
	"$(blob_want)" "$got"
ktap_eq "IPv6: rtr's packet too big taught the director the path MTU to rs1" \
	"$SMALL_MTU" "$(route_mtu "$RIP6_1")"
ktap_eq "IPv6: the client's route to the VIP learned mtu $((SMALL_MTU - 40))" \
	"$((SMALL_MTU - 40))" "$(ip -n cli -6 route get "$VIP6" |
	awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") print $(i + 1) }')"

got=$(ip netns exec cli "${PEER6[@]}" udp-flows "$VIP6" "$CPORT:54")
ktap_eq "IPv6: live UDP connection [$CIP6]:$CPORT -> [VIP6]:54 -> rs2" \
	"rs2 $CIP6 4 [$VIP6]:54" "$got"
forged_checks 6 "$RIP6_2" "$STRANGER6" "$STRANGER6_2" "$LOW_MTU6"

# ---- tunnelling goes on, with the smaller path MTUs
got=$(ip netns exec cli "${PEER[@]}" blob-put "$VIP" 81 "$LVS_WORK/blob" 2>&1)
ktap_eq "IPv4: a second upload to rs1 arrives intact (md5)" "$(blob_want)" "$got"
got=$(ip netns exec cli "${PEER6[@]}" blob-put "$VIP6" 82 "$LVS_WORK/blob" 2>&1)
ktap_eq "IPv6: a second upload to rs1 arrives intact (md5)" "$(blob_want)" "$got"
got=$( (ip netns exec cli "${PEER[@]}" udp-flows "$VIP" "$CPORT:54"
	ip netns exec cli "${PEER6[@]}" udp-flows "$VIP6" "$CPORT:54") |
	awk '{ print $1 }' | xargs)
ktap_eq "rs2 still answers both connections" "rs2 rs2" "$got"

# ---- pmtu_disc: DF datagrams over rs2's learned path MTU ($FORGED_MTU)
BIG=$((FORGED_MTU - 28))
ktap_eq "pmtu_disc=1: a DF datagram too big for the tunnel to rs2 is refused" \
	timeout "$(ip netns exec cli "${PEER[@]}" udp-big "$VIP" "$CPORT" 54 "$BIG")"
ip netns exec "$DIR_NS" sysctl -qw net.ipv4.vs_lite.pmtu_disc=0
ktap_eq "pmtu_disc=0: it is fragmented and answered" \
	rs2 "$(ip netns exec cli "${PEER[@]}" udp-big "$VIP" "$CPORT" 54 "$BIG")"
ip netns exec "$DIR_NS" sysctl -qw net.ipv4.vs_lite.pmtu_disc=1

dmesg_check
ktap_finish
