#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lblcr (locality-based least-connection with replication) scheduler:
# connections to one destination address go to a set of servers, at
# first the one wlc chose for it. When the server the set offers is
# overloaded (more active connections than its weight while another
# server is under half its own), wlc's choice over the whole service
# joins the set, and new connections then go to the least loaded server
# of the set: both servers of the set take them, and rs3, outside it,
# none. A quiesced member is passed over, a deleted one leaves the set,
# and a set left empty starts again from wlc's choice.
#
#      cli              dir              rs1          rs2          rs3
#  192.0.2.100      192.0.2.6        192.0.2.7    192.0.2.8    192.0.2.9
#       |       VIP 192.0.2.5 (eth0)  weight 1     weight 1     weight 1
#  =====+===============+=======br0======+============+============+=====

source "$(dirname "$0")/lib.sh"

lvs_test_begin 20

SVC="$VIP:25"

sched_require lblcr
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

# ActiveConn of rs1, rs2 and rs3, space separated.
actives()
{
	echo "$(dest_field "TCP $SVC" "$RIP1:25" active)" \
	     "$(dest_field "TCP $SVC" "$RIP2:25" active)" \
	     "$(dest_field "TCP $SVC" "$RIP3:25" active)"
}

# ActiveConn 0 on every server still in the service.
none_active()
{
	[ -z "$(actives | tr -d ' 0')" ]
}

# Close the held connections, and wait until the director has seen them
# close.
release_holds()
{
	ip netns pids cli | xargs -r kill
	wait_until 10 none_active
}

ktap_check "lblcr service, rs1, rs2 and rs3 of weight 1" \
	adm_batch "-A -t $SVC -s lblcr" "-a -t $SVC -r $RIP1 -g -w 1" \
	"-a -t $SVC -r $RIP2 -g -w 1" "-a -t $SVC -r $RIP3 -g -w 1"

# wlc would rotate: each closed connection leaves an inactive entry.
ktap_eq "4 connections to $VIP stick to the set {rs1}" \
	"rs1 rs1 rs1 rs1" "$(smtp_seq 4)"

hold_next 1
h1=$HELD
hold_next 2
ktap_eq "2 held connections on rs1 (1 active is not more than weight 1)" \
	"rs1 rs1 2" "$h1 $HELD $(dest_field "TCP $SVC" "$RIP1:25" active)"

# rs1: 2 active > weight 1, rs2 and rs3 idle: wlc picks rs2, first on
# the tie.
hold_next 3
ktap_eq "rs1 overloaded: rs2 joins the set and takes the connection" \
	"rs2" "$HELD"

ktap_check "held connections closed" release_holds

# The set is {rs1, rs2}: each new connection goes to the member with the
# fewest active connections, so they alternate. lblc would have moved
# the address to rs2, sent it two, then moved it on to rs3 (idle).
got=()
for n in 4 5 6 7; do
	hold_next "$n"
	got+=("$HELD")
done
ktap_eq "held connections 4 and 5 go to both members of the set" \
	"rs1 rs2" "$(printf '%s\n' "${got[@]:0:2}" | sort | xargs)"
ktap_eq "4 held connections: ActiveConn rs1 rs2 rs3 (${got[*]})" \
	"2 2 0" "$(actives)"
ktap_check "held connections closed" release_holds

# rs3 is the least loaded server of the service throughout: wlc would
# pick it.
ktap_check "quiesce rs2 (weight 0)" adm -e -t "$SVC" -r "$RIP2" -g -w 0
ktap_eq "rs2 quiesced: the set's rs1 takes the connections" \
	"rs1 rs1 rs1" "$(smtp_seq 3)"
ktap_check "rs2 back to weight 1, quiesce rs1" \
	adm_batch "-e -t $SVC -r $RIP2 -g -w 1" "-e -t $SVC -r $RIP1 -g -w 0"
ktap_eq "rs1 quiesced: the set's rs2 takes the connections" \
	"rs2 rs2 rs2" "$(smtp_seq 3)"
ktap_check "rs1 back to weight 1" adm -e -t "$SVC" -r "$RIP1" -g -w 1

ktap_check "delete rs1" adm -d -t "$SVC" -r "$RIP1"
ktap_eq "rs1 deleted: the set is {rs2}" "rs2 rs2 rs2" "$(smtp_seq 3)"
# The new rs1 is idle and so are rs3's counters: wlc would pick them.
ktap_check "add rs1 again" adm -a -t "$SVC" -r "$RIP1" -g -w 1
ktap_eq "the added rs1 is not in the set" "rs2 rs2 rs2" "$(smtp_seq 3)"

ktap_check "delete rs2" adm -d -t "$SVC" -r "$RIP2"
# rs3 and the new rs1 are idle: wlc's choice is rs3, first on the tie,
# and it makes up the new set.
ktap_eq "rs2 deleted: the set was emptied, wlc's rs3 starts it again" \
	"rs3 rs3 rs3" "$(smtp_seq 3)"

adm -C
dmesg_check
ktap_finish
