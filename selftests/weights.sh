#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Weights and the weight-aware schedulers, seen through real traffic:
# weight 0 quiesces a real server, -e changes weights at run time, wrr
# keeps exact 3:1 and 3:2:1 ratios per cycle, lc sends new connections
# away from a server holding a long-lived one.
#
#      cli                dir                 rs1       rs2       rs3
#  192.0.2.100        192.0.2.6           192.0.2.7 192.0.2.8 192.0.2.9
#       |          VIP 192.0.2.5 (eth0)    VIP on lo VIP on lo VIP on lo
#       |                 |                   |         |         |
#  =====+=================+=========br0=======+=========+=========+=====
#
#  cli -> VIP:25 -> dir (rr | wrr | lc, -g) -> rs1 | rs2 | rs3 -> cli

source "$(dirname "$0")/lib.sh"

lvs_test_begin 15

SVC="$VIP:25"

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }

# tally N: N connections; prints "rs1=a rs2=b rs3=c".
tally()
{
	local seq

	seq=$(smtp_seq "$1")
	vlog "sequence: $seq"
	echo "rs1=$(count rs1 $seq) rs2=$(count rs2 $seq) rs3=$(count rs3 $seq)"
}

ktap_check "rr service with rs1, rs2 (weight 1)" \
	adm_batch "-A -t $SVC -s rr" "-a -t $SVC -r $RIP1 -g -w 1" \
	"-a -t $SVC -r $RIP2 -g -w 1"

# ---- weight 0: quiesced, no new connections
ktap_check "-e rs2 -w 0" adm -e -t "$SVC" -r "$RIP2" -g -w 0
ktap_eq "-ln shows rs2 with weight 0" 0 "$(dest_field "TCP $SVC" "$RIP2:25" weight)"
ktap_eq "rr, rs2 quiesced: 6 connections all to rs1" "rs1=6 rs2=0 rs3=0" "$(tally 6)"

# ---- back to weight 1
adm -e -t "$SVC" -r "$RIP2" -g -w 1
ktap_eq "rr, rs2 weight 1 again: 6 connections split 3/3" "rs1=3 rs2=3 rs3=0" "$(tally 6)"

# ---- wrr 3:1
ktap_check "-E -s wrr and -e rs1 -w 3" \
	adm_batch "-E -t $SVC -s wrr" "-e -t $SVC -r $RIP1 -g -w 3"
ktap_eq "-ln shows wrr, weights 3 and 1" "wrr 3 1" \
	"$(adm -ln | awk -v s="$SVC" '$1 == "TCP" && $2 == s { print $3 }') \
$(dest_field "TCP $SVC" "$RIP1:25" weight) $(dest_field "TCP $SVC" "$RIP2:25" weight)"
# Any 8 consecutive choices are two whole cycles.
ktap_eq "wrr 3:1: 8 connections split 6/2" "rs1=6 rs2=2 rs3=0" "$(tally 8)"

# ---- wrr 3:2:1
ktap_check "add rs3 -w 1, -e rs2 -w 2" \
	adm_batch "-a -t $SVC -r $RIP3 -g -w 1" "-e -t $SVC -r $RIP2 -g -w 2"
ktap_eq "wrr 3:2:1: 12 connections split 6/4/2" "rs1=6 rs2=4 rs3=2" "$(tally 12)"

# ---- wrr with a quiesced server
adm -e -t "$SVC" -r "$RIP1" -g -w 0
ktap_eq "wrr 0:2:1: 6 connections split 0/4/2" "rs1=0 rs2=4 rs3=2" "$(tally 6)"

# ---- lc: a held connection weighs 256 short ones
adm_batch "-E -t $SVC -s lc" "-d -t $SVC -r $RIP3" \
	"-e -t $SVC -r $RIP1 -g -w 1" "-e -t $SVC -r $RIP2 -g -w 1"
smtp_hold 30 "$LVS_WORK/held"
held=$(banner_of "$LVS_WORK/held")
case $held in
rs1) other=rs2 hrip=$RIP1 ;;
rs2) other=rs1 hrip=$RIP2 ;;
*) other=none hrip=none ;;
esac
ktap_eq "lc: held connection is active on its server ($held)" 1 \
	"$(dest_field "TCP $SVC" "$hrip:25" active)"
seq=$(smtp_seq 6)
ktap_eq "lc: 6 new connections all go to the other server ($other)" \
	"$other $other $other $other $other $other" "$seq"

ktap_eq "-ln: lc service with rs1, rs2, no rs3" "lc 2" \
	"$(adm -ln | awk -v s="$SVC" '$1 == "TCP" && $2 == s { print $3 }') \
$(adm -ln | grep -c '^  -> [0-9]')"

dmesg_check
ktap_finish
