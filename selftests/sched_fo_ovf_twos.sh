#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ovf (overflow-connection), fo (weighted failover) and twos
# (weighted power of two choices) schedulers, through real connections.
# ovf: rs2 of weight 3 takes held connections until it has 3 active, then
# rs1 of weight 1 takes one; rs3 of weight 0 never gets any. fo: every
# connection goes to the heaviest server, and to the next heaviest once
# that one is quiesced. twos: short connections reach both servers of
# non-zero weight and never the one of weight 0.
#
#      cli                dir                 rs1       rs2       rs3
#  192.0.2.100        192.0.2.6           192.0.2.7 192.0.2.8 192.0.2.9
#       |          VIP 192.0.2.5 (eth0)   weight 1  weight 3  weight 0
#  =====+=================+=========br0=======+=========+=========+=====

source "$(dirname "$0")/lib.sh"

lvs_test_begin 12

SVC="$VIP:25"

sched_require ovf
sched_require fo
sched_require twos
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

ktap_check "ovf service, rs1 -w 1, rs2 -w 3, rs3 -w 0" \
	adm_batch "-A -t $SVC -s ovf" "-a -t $SVC -r $RIP1 -g -w 1" \
	"-a -t $SVC -r $RIP2 -g -w 3" "-a -t $SVC -r $RIP3 -g -w 0"

seq=
for n in 1 2 3 4; do
	hold_next "ovf$n"
	seq+="$HELD "
done
ktap_eq "ovf: held connections spill from rs2 to rs1 after 3" \
	"rs2 rs2 rs2 rs1" "${seq% }"
ktap_eq "ovf: ActiveConn rs1 rs2 rs3" "1 3 0" \
	"$(dest_field "TCP $SVC" "$RIP1:25" active) \
$(dest_field "TCP $SVC" "$RIP2:25" active) \
$(dest_field "TCP $SVC" "$RIP3:25" active)"

ktap_check "scheduler changed to fo" adm -E -t "$SVC" -s fo
seq=
for n in 1 2; do
	hold_next "fo$n"
	seq+="$HELD "
done
ktap_eq "fo: held connections go to the heaviest, rs2" "rs2 rs2" "${seq% }"
ktap_check "rs2 quiesced" adm -e -t "$SVC" -r "$RIP2" -g -w 0
hold_next fo3
ktap_eq "fo: with rs2 quiesced the next goes to rs1" "rs1" "$HELD"

adm -C
ktap_check "twos service, rs1 -w 1, rs2 -w 1, rs3 -w 0" \
	adm_batch "-A -t $SVC -s twos" "-a -t $SVC -r $RIP1 -g -w 1" \
	"-a -t $SVC -r $RIP2 -g -w 1" "-a -t $SVC -r $RIP3 -g -w 0"
seq=$(smtp_seq 12)
ktap_eq "twos: 12 connections, none to rs3 of weight 0, none unanswered" \
	"0 0" "$(count rs3 $seq) $(count none $seq)"
# Each of 12 draws of two misses rs1 with odds 1/4: all 12 do once in 17M.
ktap_check "twos: both rs1 and rs2 got connections ($seq)" \
	test "$(count rs1 $seq)" -gt 0 -a "$(count rs2 $seq)" -gt 0
ktap_check "-ln lists the twos service" \
	sh -c "ip netns exec $DIR_NS '$ADM_BIN' -ln | grep -q '^TCP  $SVC twos'"

adm -C
dmesg_check
ktap_finish
