#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deleting a real server or a whole service stops new traffic to it:
# afterwards new connections go to the remaining real servers, or, once
# the service is gone, are no longer forwarded at all (the director then
# answers for the VIP itself and refuses the port). Other services keep
# working throughout.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  cli -> VIP:25 (rr) and VIP:80 (rr) -> dir -> rs1 | rs2 -> cli

source "$(dirname "$0")/lib.sh"

lvs_test_begin 13

S25="$VIP:25"
S80="$VIP:80"

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }

ktap_check "services VIP:25 and VIP:80 (rr) with rs1, rs2" \
	adm_batch "-A -t $S25 -s rr" "-a -t $S25 -r $RIP1 -g" \
	"-a -t $S25 -r $RIP2 -g" "-A -t $S80 -s rr" \
	"-a -t $S80 -r $RIP1 -g" "-a -t $S80 -r $RIP2 -g"

seq=$(smtp_seq 4)
ktap_eq "VIP:25 reaches both real servers" "2 2" \
	"$(count rs1 $seq) $(count rs2 $seq)"

# A connection held to rs2 across its deletion must not disturb the rest.
smtp_hold 30 "$LVS_WORK/held"
# A second for it to be set up.
sleep 1

# ---- delete one real server
ktap_check "-d rs2 from VIP:25" adm -d -t "$S25" -r "$RIP2"
ktap_eq "-ln: VIP:25 lists rs1 only" "$RIP1:25" \
	"$(adm -ln | awk -v s="$S25" '/^(TCP|UDP)/ { cur = $2 } $1 == "->" && cur == s { print $2 }' | xargs)"
ktap_eq "after -d rs2: 6 connections all to rs1" "rs1 rs1 rs1 rs1 rs1 rs1" \
	"$(smtp_seq 6)"

# ---- re-adding brings it back
ktap_check "-a rs2 again" adm -a -t "$S25" -r "$RIP2" -g
seq=$(smtp_seq 4)
ktap_eq "after re-adding rs2: both reached again" "2 2" \
	"$(count rs1 $seq) $(count rs2 $seq)"

# ---- delete the whole service
ktap_check "-D VIP:25" adm -D -t "$S25"
ktap_eq "-ln: only VIP:80 remains" "TCP $S80" \
	"$(adm -ln | awk '/^(TCP|UDP)/ { print $1, $2 }' | xargs)"
ktap_eq "after -D: 4 connections to VIP:25 reach no real server" \
	"none none none none" "$(smtp_seq 4)"

seq=
for _ in 1 2 3 4; do
	seq+="$(http_get /) "
done
ktap_eq "VIP:80 still balanced over rs1 and rs2" "2 2" \
	"$(count rs1 $seq) $(count rs2 $seq)"

# ---- deleting the last real server of a service
adm_batch "-d -t $S80 -r $RIP1" "-d -t $S80 -r $RIP2"
ktap_eq "VIP:80 without real servers: no answer" "" "$(http_get /)"

dmesg_check
ktap_finish
