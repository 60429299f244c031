#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SCTP virtual services (--sctp-service), with the kernel's SCTP stack at
# both ends: rr alternates real servers association by association with
# direct routing and tunnelling (one of each), and with NAT (port 5001 -> 6001, so that the CRC32c is
# recomputed both ways: an association that completes proves it right),
# over IPv4 with and without checksum offload, and over IPv6. The
# listings show the services and the connections as "SCTP"; a held
# association is ESTABLISHED and counted active, and once shut down it
# is CLOSED and counted inactive, for NAT (both directions drive the
# state) and DR or TUN (the client's packets alone). A chunk other than an INIT
# makes no connection unless sloppy_sctp is set, and an ABORT never does.
# -S and -R round-trip the SCTP services.
#
#   cli 198.51.100.10            rsd1 198.51.100.7   rsd2 198.51.100.8
#       2001:db8:1::10           VIP on lo           VIP on lo, tunl0 up
#        |                            |                   |
#  ======+============br1=======+=====+===================+====
#                               |
#              eth1 198.51.100.1, VIP 198.51.100.5
#                   2001:db8:1::1, VIP6 2001:db8:1::5
#                        dir (forwarding on)
#                   eth0 192.0.2.1, 2001:db8:2::1
#                               |
#  ======+============br0=======+==================+====
#        |                                         |
#   rs1 192.0.2.7, 2001:db8:2::7          rs2 192.0.2.8, 2001:db8:2::8
#   default via the director              default via the director
#
#  SCTP VIP:5000 -> rsd1:5000 (-g) | rsd2:5000 (-i), rr
#  SCTP VIP:5001 -> rs1|rs2:6001 (rr, -m)
#  SCTP [VIP6]:5001 -> rs1|rs2 [RIP6]:6001 (rr, -m)

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.5
CIP=198.51.100.10
DIP_CLI=198.51.100.1
DIP_RS=192.0.2.1
RIPD1=198.51.100.7
RIPD2=198.51.100.8
VIP6=2001:db8:1::5
CIP6=2001:db8:1::10
DIP6_CLI=2001:db8:1::1
DIP6_RS=2001:db8:2::1
RIP6_1=2001:db8:2::7
RIP6_2=2001:db8:2::8
# -S: no site module, whose path scans are slow on the VM's 9p root.
PEER=(python3 -S "$LIB_DIR/peer.py")
PEER6=(python3 -S "$LIB_DIR/peer6.py")

sctp_require()
{
	cmd_require python3 ss
	mod_loaded sctp || mod_load_tmp sctp ||
		ktap_skip_all "no sctp module for $(uname -r)"
	# rsd2 decapsulates with the ipip module's tunl0.
	mod_loaded ipip || mod_load_tmp ipip ||
		ktap_skip_all "no ipip module for $(uname -r)"
}

lvs_test_begin 20 lvs_cleanup sctp_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
if [ "$LVS_MOD" = ip_vs ]; then
	SLOPPY=net.ipv4.vs.sloppy_sctp
else
	SLOPPY=net.ipv4.vs_lite.sloppy_sctp
fi

# ----------------------------------------------------------- topology

wait_sctp()
{
	wait_sock "$1" -HlSn "$2" 20 && return 0
	echo "nothing listens on sctp $1:$2" >&2
	return 1
}

# A NAT real server on br0, routing everything through the director; its
# servers are bound to its own addresses, which are all its INIT ACK
# names, so that no other path of the association bypasses the director.
nat_rs()
{
	local ns=$1 addr=$2 addr6=$3

	setup_ns "$ns" && br_port br0 "$ns" eth0 "$addr/24" &&
		ip -n "$ns" addr add "$addr6/64" dev eth0 nodad &&
		ip -n "$ns" route add default via "$DIP_RS" &&
		ip -n "$ns" -6 route add default via "$DIP6_RS" || return 1
	lvs_bg ip netns exec "$ns" "${PEER[@]}" sctp-serve "$ns" 6001 "$addr"
	lvs_bg ip netns exec "$ns" "${PEER6[@]}" sctp-serve "$ns" 6001 "$addr6"
}

# A direct-routing or (with "tun") tunnelling real server on br1,
# serving on the VIP only. The tunnelled packets come in on tunl0 from a
# client reached through eth0, hence rp_filter 0.
dr_rs()
{
	local ns=$1 addr=$2

	setup_ns "$ns" && br_port br1 "$ns" eth0 "$addr/24" || return 1
	rs_vip "$ns"
	if [ "${3:-}" = tun ]; then
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 \
			net.ipv4.conf.tunl0.rp_filter=0 || return 1
		ip -n "$ns" link set tunl0 up || return 1
	fi
	lvs_bg ip netns exec "$ns" "${PEER[@]}" sctp-serve "$ns" 5000 "$VIP"
}

sctp_topology()
{
	setup_ns br cli "$DIR_NS" && br_add br0 br1 || return 1
	br_port br1 cli eth0 "$CIP/24" &&
		ip -n cli addr add "$CIP6/64" dev eth0 nodad &&
		br_port br1 "$DIR_NS" eth1 "$DIP_CLI/24" &&
		ip -n "$DIR_NS" addr add "$DIP6_CLI/64" dev eth1 nodad &&
		br_port br0 "$DIR_NS" eth0 "$DIP_RS/24" &&
		ip -n "$DIR_NS" addr add "$DIP6_RS/64" dev eth0 nodad || return 1
	ip -n "$DIR_NS" addr add "$VIP/32" dev eth1
	ip -n "$DIR_NS" addr add "$VIP6/128" dev eth1 nodad
	ip -n cli route add default via "$DIP_CLI"
	ip -n cli -6 route add default via "$DIP6_CLI"
	ip netns exec "$DIR_NS" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1

	nat_rs rs1 "$RIP1" "$RIP6_1" && nat_rs rs2 "$RIP2" "$RIP6_2" &&
		dr_rs rsd1 "$RIPD1" && dr_rs rsd2 "$RIPD2" tun || return 1
	wait_sctp rs1 6001 && wait_sctp rs2 6001 &&
		wait_sctp rsd1 5000 && wait_sctp rsd2 5000
}

lvs_workdir
sctp_topology || { ktap_fail "topology"; ktap_finish; }

# ------------------------------------------------------------ helpers

# result DESC STATUS DIAG: a test point, with DIAG shown on failure.
result()
{
	ktap_result "$1" "$2"
	[ "$2" = 0 ] || ktap_diag "$3"
}

# rr_check DESC FROM PEER-ARGS...: 4 associations through a service
# alternate two real servers, each seeing the client CIP-OR-CIP6 (the
# first word of FROM's check) and answering from FROM.
rr_check()
{
	local desc=$1 from=$2 cip=$3 out names seen srcs

	shift 3
	out=$(ip netns exec cli "$@")
	names=$(awk '{ print $1 }' <<<"$out" | xargs)
	seen=$(awk '{ print $2 }' <<<"$out" | sort -u | xargs)
	srcs=$(awk '{ print $3 }' <<<"$out" | sort -u | xargs)
	# shellcheck disable=SC2086
	alternates $names && [ "$seen" = "$cip" ] && [ "$srcs" = "$from" ]
	result "$desc" $? "answers: $(xargs <<<"$out")"
}

# dest_conns SVC RS: "ACTIVE INACTIVE" of real server RS of service SVC
# in -ln.
dest_conns()
{
	adm -ln | awk -v svc="$1" -v rs="$2" '
		$1 != "->" { on = ($1 == "SCTP" && $2 == svc) }
		on && $1 == "->" && $2 == rs { print $5, $6 }'
}

# conn_state VPORT CPORT: the state -lnc shows for SCTP connection from
# CIP:CPORT to VIP:VPORT, or nothing.
conn_state()
{
	adm -lnc | awk -v c="$CIP:$2" -v v="$VIP:$1" \
		'$1 == "SCTP" && $4 == c && $5 == v { print $3 }'
}

# hold_start VPORT TAG: an association to VIP:VPORT, held until
# hold_end TAG; sets HOLD_CPORT to its client port.
hold_start()
{
	local out=$LVS_WORK/hold.$2

	rm -f "$LVS_WORK/flag.$2"
	lvs_bg ip netns exec cli "${PEER[@]}" sctp-hold "$VIP" "$1" \
		"$LVS_WORK/flag.$2" >"$out"
	wait_until 20 grep -q . "$out"
	HOLD_CPORT=$(ip netns exec cli ss -HSn "dport = :$1" |
		awk '{ n = split($4, a, ":"); print a[n]; exit }')
}

hold_end()
{
	touch "$LVS_WORK/flag.$1"
	wait_until 20 grep -qx closed "$LVS_WORK/hold.$1"
}

# --------------------------------------------------------------- tests

cat >"$LVS_WORK/rules" <<EOF
-A --sctp-service $VIP:5000 -s rr
-a --sctp-service $VIP:5000 -r $RIPD1:5000 -g
-a --sctp-service $VIP:5000 -r $RIPD2:5000 -i
-A --sctp-service $VIP:5001 -s rr
-a --sctp-service $VIP:5001 -r $RIP1:6001 -m
-a --sctp-service $VIP:5001 -r $RIP2:6001 -m
-A --sctp-service [$VIP6]:5001 -s rr
-a --sctp-service [$VIP6]:5001 -r [$RIP6_1]:6001 -m
-a --sctp-service [$VIP6]:5001 -r [$RIP6_2]:6001 -m
EOF
ktap_check "SCTP services restored (-R)" adm -R <"$LVS_WORK/rules"

adm -ln >"$LVS_WORK/ln" 2>&1
ktap_check "-ln lists the SCTP services" has_lines "$LVS_WORK/ln" \
	"SCTP $VIP:5000 rr" "SCTP $VIP:5001 rr" "SCTP [$VIP6]:5001 rr"

rr_check "DR and TUN: 4 associations to VIP:5000 alternate rsd1/rsd2, see $CIP" \
	"$VIP:5000" "$CIP" "${PEER[@]}" sctp-ask "$VIP" 5000 4
rr_check "NAT: 4 associations to VIP:5001 -> :6001 alternate rs1/rs2, answers from $VIP:5001" \
	"$VIP:5001" "$CIP" "${PEER[@]}" sctp-ask "$VIP" 5001 4
# With CRC32c offload, a packet may cross the veths unchecksummed: only
# without it do the real servers and the client verify what NAT wrote.
tx_csum off cli eth0 && tx_csum off rs1 eth0 && tx_csum off rs2 eth0
rr_check "NAT, no checksum offload: associations alternate, answers from $VIP:5001" \
	"$VIP:5001" "$CIP" "${PEER[@]}" sctp-ask "$VIP" 5001 4
rr_check "NAT over IPv6, no offload: associations alternate rs1/rs2, answers from [$VIP6]:5001" \
	"[$VIP6]:5001" "$CIP6" "${PEER6[@]}" sctp-ask "$VIP6" 5001 4
tx_csum on cli eth0 && tx_csum on rs1 eth0 && tx_csum on rs2 eth0

# ---- a held NAT association, then shut down
hold_start 5001 nat
ktap_eq "NAT: the held association answers from $VIP:5001" \
	"$VIP:5001" "$(awk '{ print $3 }' "$LVS_WORK/hold.nat")"
ktap_eq "NAT: -lnc shows the association SCTP ESTABLISHED" \
	ESTABLISHED "$(conn_state 5001 "$HOLD_CPORT")"
rs=$(awk '{ print $1 }' "$LVS_WORK/hold.nat")
rip=$(rs_rip "$rs")
read -r active inact_before < <(dest_conns "$VIP:5001" "$rip:6001")
ktap_eq "NAT: $rs counts it active" 1 "$active"
hold_end nat
wait_until 10 test "$(conn_state 5001 "$HOLD_CPORT")" = CLOSED
ktap_eq "NAT: after shutdown the connection is CLOSED" \
	CLOSED "$(conn_state 5001 "$HOLD_CPORT")"
read -r active inact < <(dest_conns "$VIP:5001" "$rip:6001")
# Older entries may expire meanwhile; this one only moves over.
[ "$active" = 0 ] && [ "$inact" -ge 1 ] && [ "$inact" -le $((inact_before + 1)) ]
result "NAT: and $rs counts it inactive" $? \
	"ActiveConn $active InActConn $inact, before $inact_before"

# ---- a held DR or TUN association: the client's chunks alone drive it
hold_start 5000 dr
ktap_eq "DR/TUN: -lnc shows the held association SCTP ESTABLISHED" \
	ESTABLISHED "$(conn_state 5000 "$HOLD_CPORT")"
rs=$(awk '{ print $1 }' "$LVS_WORK/hold.dr")
[ "$rs" = rsd1 ] && rip=$RIPD1 || rip=$RIPD2
read -r active inact < <(dest_conns "$VIP:5000" "$rip:5000")
ktap_eq "DR/TUN: $rs counts it active" 1 "$active"
hold_end dr
wait_until 10 test "$(conn_state 5000 "$HOLD_CPORT")" = CLOSED
ktap_eq "DR/TUN: after the client's SHUTDOWN COMPLETE it is CLOSED" \
	CLOSED "$(conn_state 5000 "$HOLD_CPORT")"

# ---- sloppy_sctp: a HEARTBEAT (4) of an association begun elsewhere
ip netns exec cli "${PEER[@]}" sctp-chunk "$VIP" 5000 40001 4
ktap_eq "sloppy_sctp=0: a HEARTBEAT without an INIT makes no connection" \
	"" "$(conn_state 5000 40001)"
ip netns exec "$DIR_NS" sysctl -qw "$SLOPPY=1"
ip netns exec cli "${PEER[@]}" sctp-chunk "$VIP" 5000 40002 4
ktap_eq "sloppy_sctp=1: the HEARTBEAT makes an ESTABLISHED connection" \
	ESTABLISHED "$(conn_state 5000 40002)"
ip netns exec cli "${PEER[@]}" sctp-chunk "$VIP" 5000 40003 6
ktap_eq "sloppy_sctp=1: an ABORT still makes none" \
	"" "$(conn_state 5000 40003)"
ip netns exec "$DIR_NS" sysctl -qw "$SLOPPY=0"

# ---- -S and -R
adm -Sn >"$LVS_WORK/save" 2>&1
ktap_check "-Sn saves --sctp-service rules" has_lines "$LVS_WORK/save" \
	"-A --sctp-service $VIP:5000 -s rr" \
	"-a --sctp-service $VIP:5001 -r $RIP1:6001 -m -w 1"
adm -C
adm -R <"$LVS_WORK/save"
adm -Sn >"$LVS_WORK/save2" 2>&1
ktap_check "-R of that save gives the same rules back" \
	cmp "$LVS_WORK/save" "$LVS_WORK/save2"

dmesg_check
ktap_finish
