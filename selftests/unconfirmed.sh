#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Entries with no evidence of a real client behind them: a blind
# spoofer's SYN and ACK, a lone datagram. A DR director never sees the
# replies, so an entry is confirmed only by what the client sends next
# (data after the handshake, a second datagram); until then it lives 60 s
# at most, whatever its state's timeout, and may make way at conn_max.
#  1. spoofed SYN+ACK pairs: ESTABLISHED entries of 60 s, not 15 min;
#  2. a real client that sends data: 15 min;
#  3. a lone datagram: 60 s; more from the same socket: 5 min;
#  4. at conn_max, new entries take the place of unconfirmed ones, and
#     the confirmed connection stays.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#  + SYN+ACKs from    VIP 192.0.2.5       VIP on lo     VIP on lo
#  203.0.113.0/24,        |                   |             |
#  198.51.100.0/24        |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  TCP VIP:25 rr -> rs1, rs2 (-g); UDP VIP:53 rr -> rs1, rs2 (-g)

source "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
PARAM=/sys/module/$LVS_MOD/parameters/conn_max
SPOOFED=200
LATER=50
OLD_MAX=

cleanup()
{
	[ -n "$OLD_MAX" ] && echo "$OLD_MAX" >"$PARAM"
	lvs_cleanup
}

lvs_test_begin 8 cleanup cmd_require "$CC"
lvs_load || ktap_skip_all "cannot load $LVS_MOD"
[ -w "$PARAM" ] || ktap_skip_all "$PARAM missing"
OLD_MAX=$(cat "$PARAM")
lvs_workdir
W=$LVS_WORK

ok=1
lvs_topology 2 &&
	adm_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
		"-a -t $VIP:25 -r $RIP2 -g" "-A -u $VIP:53 -s rr" \
		"-a -u $VIP:53 -r $RIP1 -g" "-a -u $VIP:53 -r $RIP2 -g" || ok=0
spoof_director || ok=0
ktap_result "topology, TCP $VIP:25 and UDP $VIP:53, DR" $((1 - ok))
[ $ok = 1 ] || ktap_finish

# pairs NET/LEN COUNT SEED: SYN then ACK from each of COUNT sources.
pairs()
{
	ip netns exec cli "$W/synflood" eth0 "$DIRMAC" "$1" "$VIP" 25 "$2" \
		"$3" ack >/dev/null
}

# lnc_from PREFIX STATE: "count longest-expiry" of the -lnc entries in
# STATE whose client address starts with PREFIX.
lnc_from()
{
	adm -lnc | awk -v p="$1" -v s="$2" '
		index($4, p) == 1 && $3 == s {
			n++
			if ($2 > max)
				max = $2
		}
		END { print n + 0, (max == "" ? "none" : max) }'
}

# ---- 1. a blind spoofer's handshakes
pairs 203.0.113.0/24 "$SPOOFED" 1
ENTRIES_LAST=
wait_until -i 1 20 entries_settled
read -r n longest < <(lnc_from 203.0.113. ESTABLISHED)
ktap_diag "spoofed SYN+ACK pairs: $n ESTABLISHED entries, longest expiry $longest"
[ "$n" -ge $((SPOOFED - 4)) ] && [[ $longest < 01:01 ]]
ktap_result "$n spoofed handshakes: ESTABLISHED for 60 s at most ($longest)" $?

# ---- 2. a real client goes on with data
lvs_bg ip netns exec cli sh -c \
	"(sleep 1; echo 'EHLO client'; sleep 60) | timeout 65 busybox nc $VIP 25 >$W/real 2>&1"
real_long()
{
	read -r n longest < <(lnc_from "$CIP:" ESTABLISHED)
	[ "$n" = 1 ] && [[ $longest > 14:00 ]]
}
wait_until 15 real_long
ktap_result "a client that sends data: ESTABLISHED for 15 minutes ($longest)" $?

# ---- 3. datagrams
ip netns exec cli bash -c "exec 3>/dev/udp/$VIP/53; echo a >&3; sleep 30" &
upid=$!
udp_short()
{
	read -r n longest < <(lnc_from "$CIP:" UDP)
	[ "$n" = 1 ] && [[ $longest < 01:01 ]]
}
wait_until 10 udp_short
ktap_result "a lone datagram: a UDP entry of 60 s at most ($longest)" $?
kill "$upid" 2>/dev/null
wait "$upid" 2>/dev/null

# Nothing listens on the real servers: the port unreachable of the first
# datagram fails the next send on the connected socket, so a third.
ip netns exec cli bash -c "exec 3>/dev/udp/$VIP/53; echo a >&3; sleep 1
	echo b >&3 2>/dev/null; echo c >&3 2>/dev/null; sleep 30" &
upid=$!
udp_long()
{
	read -r n longest < <(lnc_from "$CIP:" UDP)
	[[ $longest > 04:00 ]]
}
wait_until 10 udp_long
ktap_diag "UDP entries: $(adm -lnc | awk '$1 == "UDP" { printf "%s %s; ", $2, $4 }')"
ktap_result "more datagrams of the same socket: 5 minutes ($longest)" $?
kill "$upid" 2>/dev/null
wait "$upid" 2>/dev/null

# ---- 4. at conn_max
max=$(conn_entries)
echo "$max" >"$PARAM"
pairs 198.51.100.0/24 "$LATER" 2
ENTRIES_LAST=
wait_until -i 1 20 entries_settled
read -r later _ < <(lnc_from 198.51.100. ESTABLISHED)
read -r spoofed _ < <(lnc_from 203.0.113. ESTABLISHED)
ktap_diag "conn_max $max: $later of $LATER new, $spoofed of the first spoofed left, $(conn_entries) entries"
[ "$later" -ge $((LATER - 2)) ] && [ "$(conn_entries)" -le "$max" ]
ktap_result "at conn_max, unconfirmed entries make way: $later of $LATER new entries in" $?

read -r n _ < <(lnc_from "$CIP:" ESTABLISHED)
[ "$n" = 1 ]
ktap_result "the confirmed connection is still there" $?
echo "$OLD_MAX" >"$PARAM"

dmesg_check
ktap_finish
