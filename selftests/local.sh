#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real server on the director itself: "-r 127.0.0.1 -g" next to a
# remote DR real server. The route to 127.0.0.1 is local, so the
# director delivers the client's packet to its own listener on the VIP's
# port instead of transmitting it; rr must alternate between the local
# and the remote server, both must see the client's address, and once
# the local real server is deleted the director's listener gets nothing
# more (ip_vs_lite, not the local stack, decided who answered).
#
#      cli                dir                     rs1
#  192.0.2.100        192.0.2.6               192.0.2.7
#       |          VIP 192.0.2.5 (eth0)       VIP on lo
#       |          listens on :25 and :80         |
#       |                 |                       |
#  =====+=================+=========br0===========+=====
#
#  cli -> VIP:25, VIP:80 -> dir (rr, -g) -> 127.0.0.1 (dir itself) | rs1

source "$(dirname "$0")/lib.sh"

lvs_test_begin 9

S25="$VIP:25"
S80="$VIP:80"
LOCAL=127.0.0.1

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 1 || { ktap_fail "topology"; ktap_finish; }
# The director's own services, naming it "dir".
rs_servers "$DIR_NS"
if ! wait_listen "$DIR_NS" 25 || ! wait_listen "$DIR_NS" 80; then
	ktap_fail "listeners on the director"
	ktap_finish
fi

ktap_check "VIP:25 and VIP:80 (rr, -R): $LOCAL and $RIP1, both -g" \
	adm -R <<EOF
-A -t $S25 -s rr
-a -t $S25 -r $LOCAL -g
-a -t $S25 -r $RIP1 -g
-A -t $S80 -s rr
-a -t $S80 -r $LOCAL -g
-a -t $S80 -r $RIP1 -g
EOF
fwd=$(dest_field "TCP $S25" "$LOCAL:25" forward)
ktap_eq "-ln lists $LOCAL:25 and $RIP1:25 under VIP:25" "2" \
	"$(adm -ln | grep -cE "^  -> ($LOCAL|$RIP1):25 ")"
ktap_diag "forwarding method shown for $LOCAL: ${fwd:-none}"

seq=$(smtp_seq 4 25)
# shellcheck disable=SC2086
alternates $seq && [ "$(count dir $seq) $(count rs1 $seq)" = "2 2" ]
ktap_result "VIP:25: 4 connections alternate the director and rs1: $seq" $?

out=$(http_seq 4 /cgi-bin/who)
names=$(awk 'NF { print $1 }' <<<"$out" | xargs)
# shellcheck disable=SC2086
alternates $names && [ "$(count dir $names) $(count rs1 $names)" = "2 2" ]
ktap_result "VIP:80: 4 GETs alternate the director and rs1: $names" $?
ktap_eq "VIP:80: both the local and the remote server see the client $CIP" \
	"$CIP" "$(awk 'NF { print $2 }' <<<"$out" | v4 | sort -u | xargs)"

# Two connections held open: one each, both counted as active.
smtp_hold 30 "$LVS_WORK/held1"
smtp_hold 30 "$LVS_WORK/held2"
wait_until 15 files_written "$LVS_WORK/held1" "$LVS_WORK/held2"
held=$(cat "$LVS_WORK/held1" "$LVS_WORK/held2" 2>/dev/null |
       awk '{ print $2 }' | sort | xargs)
ktap_eq "two held connections: one on each, ActiveConn 1 on $LOCAL and $RIP1" \
	"dir rs1 1 1" \
	"$held $(dest_field "TCP $S25" "$LOCAL:25" active) $(dest_field "TCP $S25" "$RIP1:25" active)"

# Without the local real server, the director's listener is never
# reached through the VIP service any more.
ktap_check "-d $LOCAL from VIP:25" adm -d -t "$S25" -r "$LOCAL"
ktap_eq "VIP:25 without $LOCAL: 4 connections all to rs1" \
	"rs1 rs1 rs1 rs1" "$(smtp_seq 4 25)"

dmesg_check
ktap_finish
