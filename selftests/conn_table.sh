#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The connection table as it grows, fills and empties, seen through the
# entry count (--info), -lnc and real traffic:
#  1. entries expire without timers: UDP entries of 2 s leave -lnc on
#     time, and the collector gives their places back (the count drops);
#  2. the client's close (FIN, or RST) shortens an established entry's
#     timeout to tcpfin (or CLOSE's 10 s);
#  3. loaded with the smallest initial table (conn_tab_bits=8: 256
#     buckets), 3,000 half-open entries all land and are found again;
#  4. at conn_max, new entries replace the oldest half-open ones: two
#     later batches of SYNs all keep their entries while the first
#     batch makes way, and a real client still connects.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#  + SYNs from        VIP 192.0.2.5       VIP on lo     VIP on lo
#  198.51.100.0/24,       |                   |             |
#  203.0.113.0/24         |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  TCP VIP:25 rr -> rs1, rs2 (-g); UDP VIP:53 rr -> rs1, rs2 (-g)

source "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
PARAM=/sys/module/$LVS_MOD/parameters/conn_max
FIRST=3000	# batch A, 198.51.100.0/24
LATER=300	# batches B (203.0.113.0/25) and C (203.0.113.128/25)

lvs_test_begin 11 lvs_cleanup cmd_require "$CC"
lvs_unload || ktap_skip_all "cannot unload $LVS_MOD"
mod_load_tmp "$LVS_MOD" conn_tab_bits=8 ||
	ktap_skip_all "cannot load $LVS_MOD conn_tab_bits=8"
lvs_workdir
W=$LVS_WORK

ok=1
lvs_topology 2 &&
	adm_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
		"-a -t $VIP:25 -r $RIP2 -g" "-A -u $VIP:53 -s rr" \
		"-a -u $VIP:53 -r $RIP1 -g" "-a -u $VIP:53 -r $RIP2 -g" || ok=0
spoof_director || ok=0
ktap_result "topology, conn_tab_bits=8, TCP $VIP:25 and UDP $VIP:53" $((1 - ok))
[ $ok = 1 ] || ktap_finish

svc_conns()
{
	adm -ln --stats | awk '/^TCP/ { print $3; exit }'
}

# syns NET/LEN COUNT SEED: half-open entries from spoofed sources.
syns()
{
	ip netns exec cli "$W/synflood" eth0 "$DIRMAC" "$1" "$VIP" 25 "$2" \
		"$3" >/dev/null
}

# in_net PREFIX LO HI: -lnc entries from PREFIX.LO to PREFIX.HI.
in_net()
{
	adm -lnc | awk -v p="$1." -v lo="$2" -v hi="$3" '
		index($4, p) == 1 {
			split($4, a, "[.:]")
			if (a[4] >= lo && a[4] <= hi)
				n++
		}
		END { print n + 0 }'
}

# ---- 1. expiry by the collector, on an empty table
adm --set 900 3 2
n0=$(conn_entries)
# Each redirection is a socket of its own, from a port of its own.
ip netns exec cli bash -c '
	for i in 1 2 3 4 5 6 7 8; do
		echo x >"/dev/udp/$1/53"
	done' sh "$VIP"
udp=$(adm -lnc | grep -c '^UDP')
n1=$(conn_entries)
ktap_diag "UDP entries: $udp listed, entries $n0 then $n1"
[ "$udp" -ge 8 ] && [ "$n1" -ge $((n0 + 8)) ]
ktap_result "8 UDP flows make 8 entries ($udp listed)" $?

udp_gone() { ! adm -lnc | grep -q '^UDP'; }
wait_until 4 udp_gone
ktap_result "UDP entries of 2 s leave -lnc within 4 s" $?

collected() { [ "$(conn_entries)" -le "$n0" ]; }
wait_until 6 collected
ktap_result "the collector returns their places: entries $(conn_entries), $n0 before" $?

# ---- 2. a close shortens the timeout
# The client speaks after the banner, which confirms its entry.
lvs_bg ip netns exec cli sh -c \
	"(sleep 1; echo 'EHLO client'; sleep 4) | timeout 10 busybox nc $VIP 25 >$W/held 2>&1"
who=$(banner_of "$W/held")
est_long()
{
	est=$(adm -lnc | awk -v c="$CIP:" '$4 ~ "^" c && $3 == "ESTABLISHED" { print $2; exit }')
	case $est in
	1[0-4]:[0-9][0-9] | 0[89]:[0-9][0-9]) true ;;
	*) false ;;
	esac
}
wait_until 10 est_long
ktap_result "an established entry of $who that has sent data expires in about 15 minutes ($est)" $?

fin_short()
{
	adm -lnc | awk -v c="$CIP:" '
		$4 ~ "^" c && (($3 == "FIN_WAIT" && $2 <= "00:03") ||
			       ($3 == "CLOSE" && $2 <= "00:10")) { f = 1 }
		END { exit !f }'
}
wait_until 15 fin_short
ktap_result "after the client closes: FIN_WAIT of 3 s or CLOSE of 10 s at most" $?

# The closed connection's entry is gone before the table fills.
empty() { [ "$(conn_entries)" = 0 ]; }
wait_until 20 empty

# ---- 3. growth from 256 buckets
syns 198.51.100.0/24 "$FIRST" 1
ENTRIES_LAST=
wait_until -i 1 20 entries_settled
n=$(conn_entries)
listed=$(in_net 198.51.100 0 255)
ktap_diag "after $FIRST SYNs: $n entries, $listed listed"
# Random sources may repeat a tuple now and then.
[ "$n" -ge $((FIRST - 10)) ] && [ "$n" -le "$FIRST" ] && [ "$listed" = "$n" ]
ktap_result "$FIRST SYNs on a table of 256 buckets: $n entries, all listed" $?

before=$(svc_conns)
syns 198.51.100.0/24 "$FIRST" 1
sleep 2 # the SYNs are in flight: nothing to wait for but their absence
after=$(svc_conns)
[ "$before" = "$after" ] && [ "$(conn_entries)" = "$n" ]
ktap_result "the same $FIRST SYNs again find their entries (connections $before, then $after)" $?

# ---- 4. at conn_max, the oldest half-open entries make way
echo "$n" >"$PARAM"
# Half-open entries are ordered by their SYN: let the batches differ.
sleep 2
syns 203.0.113.0/25 "$LATER" 2
sleep 2
syns 203.0.113.128/25 "$LATER" 3
ENTRIES_LAST=
wait_until -i 1 20 entries_settled
b=$(in_net 203.0.113 0 127)
c=$(in_net 203.0.113 128 255)
a=$(in_net 198.51.100 0 255)
ktap_diag "conn_max $n: batch A $a left, B $b, C $c, $(conn_entries) entries"
[ "$(conn_entries)" -le "$n" ] && [ "$b" -ge $((LATER - 2)) ] &&
	[ "$c" -ge $((LATER - 2)) ] && [ "$a" -le $((n - 2 * LATER + 4)) ]
ktap_result "at conn_max the first batch made way: B $b and C $c of $LATER kept, A $a" $?

who=$(smtp_who)
[ "$who" != none ]
ktap_result "a real client connects with the table full ($who)" $?
echo 1048576 >"$PARAM"

dmesg_check
ktap_finish
