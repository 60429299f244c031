#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ESP and AH follow IKE: a client's IPsec packets, which carry no ports,
# reach the real server its IKE traffic (UDP 500, or 4500) went to, by
# the IKE connection itself or by the client's persistence template of
# the IKE service; before any IKE they are not forwarded at all. IPv4
# and IPv6, direct routing.
#
#   cli 192.0.2.100, 2001:db8::100     dir 192.0.2.6         rs1 192.0.2.7
#   cli2 192.0.2.101                   VIP 192.0.2.5         rs2 192.0.2.8
#   cli3 192.0.2.102                   VIP 2001:db8::5       (VIP on lo)
#       |                                  |                     |
#  =====+=================br0==============+=====================+=====
#
#   UDP VIP:500 rr, UDP VIP:4500 rr -p, UDP [VIP6]:500 rr; every real
#   server logs the source of each ESP and AH packet it receives.

source "$(dirname "$0")/lib.sh"

ipsec_require()
{
	[ "$LVS_MOD" = ip_vs_lite ] || ktap_skip_all "ip_vs_lite's IPsec path"
}

lvs_test_begin 12 lvs_cleanup ipsec_require

PEER=(python3 -S "$LIB_DIR/peer.py")
PEER6=(python3 -S "$LIB_DIR/peer6.py")
VIP6=2001:db8::5
CIP2=192.0.2.101
CIP3=192.0.2.102
CIP6=2001:db8::100
ESP=50
AH=51

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

ipsec_topology()
{
	local ns i=7

	lvs_topology 2 || return 1
	setup_ns cli2 && seg_attach cli2 "$CIP2" || return 1
	setup_ns cli3 && seg_attach cli3 "$CIP3" || return 1
	ip -n cli addr add "$CIP6/64" dev eth0 nodad &&
		ip -n "$DIR_NS" addr add 2001:db8::6/64 dev eth0 nodad &&
		ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad || return 1
	for ns in rs1 rs2; do
		ip -n "$ns" addr add "2001:db8::$i/64" dev eth0 nodad &&
			ip -n "$ns" addr add "$VIP6/128" dev lo nodad || return 1
		i=$((i + 1))
		lvs_bg ip netns exec "$ns" "${PEER[@]}" udp-serve "$ns" 500 "$VIP"
		lvs_bg ip netns exec "$ns" "${PEER[@]}" udp-serve "$ns" 4500 "$VIP"
		lvs_bg ip netns exec "$ns" "${PEER6[@]}" udp-serve "$ns" 500 "$VIP6"
		lvs_bg ip netns exec "$ns" "${PEER[@]}" raw-log $ESP "$LVS_WORK/$ns.esp"
		lvs_bg ip netns exec "$ns" "${PEER[@]}" raw-log $AH "$LVS_WORK/$ns.ah"
		lvs_bg ip netns exec "$ns" "${PEER[@]}" raw-log $ESP "$LVS_WORK/$ns.esp6" 6
	done
	for ns in rs1 rs2; do
		wait_udp "$ns" 500 && wait_udp "$ns" 4500 || return 1
	done
}

ipsec_topology || { ktap_fail "topology"; ktap_finish; }

# from FILE ADDR: how many packets from ADDR the real server logged.
from()
{
	grep -cFx "$2" "$1" 2>/dev/null || true
}

# settle FILE ADDR N: until FILE has N packets from ADDR (10 s at most).
settle()
{
	wait_until 10 sh -c "[ \"\$(grep -cFx '$2' '$1' 2>/dev/null)\" -ge $3 ]"
}

ktap_check "UDP VIP:500 rr, UDP VIP:4500 rr persistent, UDP [VIP6]:500 rr" \
	adm_batch "-A -u $VIP:500 -s rr" "-a -u $VIP:500 -r $RIP1 -g" \
	"-a -u $VIP:500 -r $RIP2 -g" "-A -u $VIP:4500 -s rr -p 60" \
	"-a -u $VIP:4500 -r $RIP1 -g" "-a -u $VIP:4500 -r $RIP2 -g" \
	"-A -u [$VIP6]:500 -s rr" "-a -u [$VIP6]:500 -r [2001:db8::7] -g" \
	"-a -u [$VIP6]:500 -r [2001:db8::8] -g"

# Before IKE: dropped by nobody, forwarded to nobody.
ip netns exec cli "${PEER[@]}" raw-send $ESP "$VIP" 5

ike1=$(ip netns exec cli "${PEER[@]}" udp-flows "$VIP" 500:500 | awk '{ print $1 }')
ike2=$(ip netns exec cli2 "${PEER[@]}" udp-flows "$VIP" 500:500 | awk '{ print $1 }')
ktap_check "IKE of cli ($ike1) and cli2 ($ike2) went to different real servers" \
	test "$ike1" != "$ike2" -a -n "$ike1" -a -n "$ike2"

ip netns exec cli "${PEER[@]}" raw-send $ESP "$VIP" 10
ip netns exec cli2 "${PEER[@]}" raw-send $ESP "$VIP" 10
settle "$LVS_WORK/$ike1.esp" "$CIP" 10
settle "$LVS_WORK/$ike2.esp" "$CIP2" 10
ktap_eq "cli's ESP reached $ike1 only, and only once IKE had" "10 0" \
	"$(from "$LVS_WORK/$ike1.esp" "$CIP") $(from "$LVS_WORK/$(rs_other "$ike1").esp" "$CIP")"
ktap_eq "cli2's ESP reached $ike2 only" "10 0" \
	"$(from "$LVS_WORK/$ike2.esp" "$CIP2") $(from "$LVS_WORK/$(rs_other "$ike2").esp" "$CIP2")"

ip netns exec cli "${PEER[@]}" raw-send $AH "$VIP" 5
settle "$LVS_WORK/$ike1.ah" "$CIP" 5
ktap_eq "cli's AH reached $ike1 only" "5 0" \
	"$(from "$LVS_WORK/$ike1.ah" "$CIP") $(from "$LVS_WORK/$(rs_other "$ike1").ah" "$CIP")"

# NAT traversal: IKE from a port a NAT chose, to the persistent 4500.
ike3=$(ip netns exec cli3 "${PEER[@]}" udp-flows "$VIP" 3333:4500 | awk '{ print $1 }')
ktap_check "cli3's IKE from port 3333 to VIP:4500 went to $ike3" \
	test "$ike3" = rs1 -o "$ike3" = rs2
adm -lnc >"$LVS_WORK/lnc" 2>&1
ktap_check "  and made a persistence template" \
	grep -q "^UDP .* NONE .* $CIP3:0 " "$LVS_WORK/lnc"
ip netns exec cli3 "${PEER[@]}" raw-send $ESP "$VIP" 6
settle "$LVS_WORK/$ike3.esp" "$CIP3" 6
ktap_eq "cli3's ESP follows the template to $ike3" "6 0" \
	"$(from "$LVS_WORK/$ike3.esp" "$CIP3") $(from "$LVS_WORK/$(rs_other "$ike3").esp" "$CIP3")"

ike6=$(ip netns exec cli "${PEER6[@]}" udp-flows "$VIP6" 500:500 | awk '{ print $1 }')
ip netns exec cli "${PEER[@]}" raw-send $ESP "$VIP6" 5
settle "$LVS_WORK/$ike6.esp6" "$CIP6" 5
ktap_eq "IPv6: cli's ESP reached $ike6 only, where its IKE went" "5 0" \
	"$(from "$LVS_WORK/$ike6.esp6" "$CIP6") $(from "$LVS_WORK/$(rs_other "$ike6").esp6" "$CIP6")"

# The real server gone: its clients' IPsec is no longer forwarded.
adm -d -u "$VIP:500" -r "$( [ "$ike2" = rs1 ] && echo "$RIP1" || echo "$RIP2")"
before=$(from "$LVS_WORK/$ike2.esp" "$CIP2")
ip netns exec cli2 "${PEER[@]}" raw-send $ESP "$VIP" 5
ip netns exec cli "${PEER[@]}" raw-send $ESP "$VIP" 1
settle "$LVS_WORK/$ike1.esp" "$CIP" 11
ktap_eq "after -d $ike2: cli2's ESP no longer reaches it" "$before" \
	"$(from "$LVS_WORK/$ike2.esp" "$CIP2")"
ktap_eq "  nor the other server" 0 \
	"$(from "$LVS_WORK/$(rs_other "$ike2").esp" "$CIP2")"

dmesg_check
ktap_finish
