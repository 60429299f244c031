#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lblc (locality-based least-connection) scheduler: connections to one
# destination address stay on the server first chosen for it, even where
# wlc would balance them, until that server is overloaded (more active
# connections than its weight while another server is under half its
# own), quiesced or deleted; then the address moves, and stays where it
# moved to. An address unused for 60 seconds is forgotten.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)   weight 1      weight 1
#  =====+=================+=========br0=======+=============+=====

source "$(dirname "$0")/lib.sh"

lvs_test_begin 16

SVC="$VIP:25"

sched_require lblc
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

# ActiveConn 0 on rs1 and rs2.
none_active()
{
	[ "$(dest_field "TCP $SVC" "$RIP1:25" active)$(dest_field \
	     "TCP $SVC" "$RIP2:25" active)" = 00 ]
}

# Close the held connections, and wait until the director has seen them
# close: ActiveConn back to 0 on rs1 and rs2.
release_holds()
{
	ip netns pids cli | xargs -r kill
	wait_until 10 none_active
}

ktap_check "lblc service, rs1 and rs2 of weight 1" \
	adm_batch "-A -t $SVC -s lblc" "-a -t $SVC -r $RIP1 -g -w 1" \
	"-a -t $SVC -r $RIP2 -g -w 1"

# wlc would alternate: each closed connection leaves an inactive entry.
ktap_eq "4 connections to $VIP stick to the first choice" \
	"rs1 rs1 rs1 rs1" "$(smtp_seq 4)"

hold_next 1
h1=$HELD
hold_next 2
ktap_eq "2 held connections on rs1 (1 active is not more than weight 1)" \
	"rs1 rs1 2" "$h1 $HELD $(dest_field "TCP $SVC" "$RIP1:25" active)"

# rs1: 2 active > weight 1, and rs2 has 0 active < half its weight.
ktap_eq "rs1 overloaded: the address moves to rs2 and stays" \
	"rs2 rs2 rs2" "$(smtp_seq 3)"

ktap_check "held connections closed" release_holds
ktap_eq "rs1 no longer overloaded: the address stays on rs2" \
	"rs2 rs2" "$(smtp_seq 2)"

ktap_check "quiesce rs2 (weight 0)" adm -e -t "$SVC" -r "$RIP2" -g -w 0
ktap_eq "rs2 quiesced: the address moves to rs1" "rs1 rs1" "$(smtp_seq 2)"

ktap_check "rs2 back to weight 1" adm -e -t "$SVC" -r "$RIP2" -g -w 1
ktap_eq "rs2 usable again: the address stays on rs1" "rs1 rs1" \
	"$(smtp_seq 2)"

# ---- an address unused for 60 s is forgotten
ktap_check "rs2 -w 100" adm -e -t "$SVC" -r "$RIP2" -g -w 100
# This client speaks: its entry is confirmed and lives on as FIN_WAIT
# (120 s), so that after the wait rs1 still has a connection and wlc's
# choice is rs2 and not a tie.
said=$(ip netns exec cli sh -c "echo QUIT | timeout 10 busybox nc -w 3 $VIP 25" |
       awk 'NR == 1 { print $2 }')
ktap_eq "wlc would pick rs2, yet the address stays on rs1" "rs1" "$said"
sleep 62
ktap_eq "unused for 62 s: forgotten, wlc places the address on rs2" "rs2" \
	"$(smtp_seq 1)"

ktap_check "delete rs2" adm -d -t "$SVC" -r "$RIP2"
ktap_eq "rs2 deleted: the address moves to rs1" "rs1 rs1" "$(smtp_seq 2)"

adm -C
dmesg_check
ktap_finish
