#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sh (source hashing) scheduler: 200 connections from 20 client source
# addresses to an sh service with three real servers. Every source must
# keep reaching one server and every server must get some sources. A
# quiesced server must get no new flows, deleting it instead must give the
# same mapping, and restoring the configuration must restore the original
# mapping, since the table depends on nothing else.
# A server over its connection threshold keeps its buckets, and the
# fallback rule sends its sources to the next server in list order.
# With -b sh-port the connections of one source address spread over the
# servers; an -E without the flag makes them stick again.
#
#   cli 192.0.2.100 + 192.0.2.101..120     dir (VIP 192.0.2.5)
#          |                                   |
#   =======+========br0=========+==============+=====+=========+=====
#                          rs1 192.0.2.7   rs2 192.0.2.8   rs3 192.0.2.9

source "$(dirname "$0")/lib.sh"

lvs_test_begin 19

SVC="$VIP:80"
NSRC=20
PER_SRC=10

sched_require sh
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

cli_srcs "$NSRC"

# Connections scheduled to the service's real servers, from --stats.
conns_sum()
{
	adm -ln --stats --exact | awk -v svc="$SVC" '
		/^(TCP|UDP)/ { cur = $2; next }
		$1 == "->" && cur == svc { sum += $3 }
		END { print sum + 0 }'
}

ktap_check "add service TCP $SVC sh with rs1, rs2, rs3" \
	adm_batch "-A -t $SVC -s sh" "-a -t $SVC -r $RIP1 -g" \
	"-a -t $SVC -r $RIP2 -g" "-a -t $SVC -r $RIP3 -g"

# ---- 200 connections: every source sticks, every server has some
map_round "$PER_SRC" "$LVS_WORK/map1"
bad=$(not_sticky "$LVS_WORK/map1")
ktap_eq "$((NSRC * PER_SRC)) connections from $NSRC sources: each source always on one server" \
	"" "$bad"
per_rs=$(awk '{ print $2 }' "$LVS_WORK/map1" | name_counts)
ktap_diag "sources per server: $per_rs"
[ "$(wc -w <<<"$per_rs")" = 3 ]
ktap_result "every real server gets sources ($per_rs)" $?
ktap_eq "--stats: $((NSRC * PER_SRC)) connections scheduled" \
	"$((NSRC * PER_SRC))" "$(conns_sum)"

# ---- a quiesced server gets no new flow
quiet=$(awk 'NR == 1 { print $2 }' "$LVS_WORK/map1")
case $quiet in
rs1) qrip=$RIP1 ;;
rs2) qrip=$RIP2 ;;
*) qrip=$RIP3 ;;
esac
before=$(stat_field "TCP $SVC" "$qrip:80" conns)
ktap_check "quiesce $quiet (weight 0)" adm -e -t "$SVC" -r "$qrip" -g -w 0
map_round 1 "$LVS_WORK/map2"
ktap_eq "weight 0: every source answered, none by $quiet" \
	"" "$(grep -w "$quiet" "$LVS_WORK/map2"; not_sticky "$LVS_WORK/map2")"
ktap_eq "weight 0: $quiet scheduled no connection" "$before" \
	"$(stat_field "TCP $SVC" "$qrip:80" conns)"

# ---- the same configuration gives back the same mapping
ktap_check "restore $quiet to weight 1" adm -e -t "$SVC" -r "$qrip" -g -w 1
map_round 1 "$LVS_WORK/map3"
ktap_eq "weight back to 1: every source on its first server again" \
	"$(cat "$LVS_WORK/map1")" "$(cat "$LVS_WORK/map3")"

# ---- fallback: the buckets of a server over its connection threshold
# stay in the table, and the next bucket with a usable server takes their
# flows; runs of buckets are in list order, so that is the next server,
# rs1 after rs3.
case $quiet in
rs1) next=rs2 ;;
rs2) next=rs3 ;;
*) next=rs1 ;;
esac
ktap_check "$quiet over its threshold (-x 1)" \
	adm -e -t "$SVC" -r "$qrip" -g -w 1 -x 1
map_round 1 "$LVS_WORK/map4"
ktap_eq "overloaded: sources of $quiet go to $next, the others stay" \
	"$(sed "s/ $quiet\$/ $next/" "$LVS_WORK/map1")" "$(cat "$LVS_WORK/map4")"
adm -e -t "$SVC" -r "$qrip" -g -w 1 -x 0

# ---- deleted or quiesced, the table is the same
ktap_check "delete $quiet" adm -d -t "$SVC" -r "$qrip"
map_round 1 "$LVS_WORK/map5"
ktap_eq "deleted: every source where it was while $quiet was quiesced" \
	"$(cat "$LVS_WORK/map2")" "$(cat "$LVS_WORK/map5")"

# ---- sh-port: the source port is hashed too, one source spreads
ktap_check "$quiet back, then -E -s sh -b sh-port" \
	adm_batch "-a -t $SVC -r $qrip -g" "-E -t $SVC -s sh -b sh-port"
port_hash_checks sh "$SVC"

adm -C
dmesg_check
ktap_finish
