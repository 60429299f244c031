#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mh (Maglev hashing) scheduler: 50 client source addresses against an
# mh service with five real servers. Every source must keep reaching one
# server. Quiescing one server must move its sources and, Maglev's point,
# hardly any other: at most 2% of all sources besides those of the
# quiesced server (the figure is printed). Its weight back,
# every source must be on its first server again. A server over its
# connection threshold keeps its slots: its sources go elsewhere and no
# other source moves. With -b mh-port the connections of a single source
# spread over the servers; an -E without the flag makes them stick again.
#
#   cli 192.0.2.100 + 192.0.2.101..150        dir (VIP 192.0.2.5)
#          |                                      |
#   =======+=========br0=========+========+=======+========+========+===
#                           rs1 .7    rs2 .8    rs3 .9   rs4 .10  rs5 .11

source "$(dirname "$0")/lib.sh"

lvs_test_begin 16

SVC="$VIP:80"
NRS=5
NSRC=50

sched_require mh
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

RIPS=()
for i in $(seq "$NRS"); do
	RIPS+=("192.0.2.$((6 + i))")
done
topo_more()
{
	local i

	for i in $(seq 4 "$NRS"); do
		rs_setup "rs$i" "${RIPS[$((i - 1))]}" || return 1
		rs_servers "rs$i"
	done
	for i in $(seq 4 "$NRS"); do
		wait_listen "rs$i" 80 || return 1
	done
}
topo_more || { ktap_fail "topology, rs4..rs$NRS"; ktap_finish; }

cli_srcs "$NSRC"

# moves BEFORE AFTER RS: "HAD MOVED OTHERS ON": the sources RS had before,
# how many sources moved, how many of those were not on RS, and how many
# are on RS after.
moves()
{
	awk -v rs="$3" 'NR == FNR { was[$1] = $2; next }
		{
			had += was[$1] == rs
			if ($2 != was[$1]) { moved++; others += was[$1] != rs }
			on += $2 == rs
		}
		END { print had + 0, moved + 0, others + 0, on + 0 }' "$1" "$2"
}

setup()
{
	local rip

	{
		echo "-A -t $SVC -s mh"
		for rip in "${RIPS[@]}"; do
			echo "-a -t $SVC -r $rip -g -w 1"
		done
	} | adm -R
}

ktap_check "mh service TCP $SVC with $NRS real servers of weight 1" setup

# ---- every source sticks to one server, every server has some
map_round 2 "$LVS_WORK/map1"
ktap_eq "$((2 * NSRC)) connections from $NSRC sources: each source always on one server" \
	"" "$(not_sticky "$LVS_WORK/map1")"
per_rs=$(awk '{ print $2 }' "$LVS_WORK/map1" | name_counts)
ktap_diag "sources per server: $per_rs"
[ "$(wc -w <<<"$per_rs")" = "$NRS" ]
ktap_result "every real server gets sources" $?

# ---- one server out: its sources move, hardly any other
quiet=$(awk 'NR == 1 { print $2 }' "$LVS_WORK/map1")
qrip=${RIPS[$((${quiet#rs} - 1))]}
ktap_check "quiesce $quiet (weight 0)" adm -e -t "$SVC" -r "$qrip" -g -w 0
map_round 1 "$LVS_WORK/map2"
read -r had moved others on < <(moves "$LVS_WORK/map1" "$LVS_WORK/map2" "$quiet")
ktap_diag "1 of $NRS servers out: $moved of $NSRC sources moved ($((moved * 100 / NSRC))%), $had of them from $quiet, $others from other servers"
ktap_eq "no source on $quiet any more, each sticks to one server" \
	"0" "$on$(not_sticky "$LVS_WORK/map2")"
[ "$others" -le $((NSRC * 2 / 100)) ]
ktap_result "sources of other servers that moved: $others of $NSRC, at most 2%" $?

ktap_check "$quiet back to weight 1" adm -e -t "$SVC" -r "$qrip" -g -w 1
map_round 1 "$LVS_WORK/map3"
ktap_eq "weight back to 1: every source on its first server again" \
	"$(cat "$LVS_WORK/map1")" "$(cat "$LVS_WORK/map3")"

# ---- fallback: an overloaded server keeps its slots, its sources go
# elsewhere and nobody else moves
ktap_check "$quiet over its threshold (-x 1)" \
	adm -e -t "$SVC" -r "$qrip" -g -w 1 -x 1
map_round 1 "$LVS_WORK/map4"
read -r had moved others on < <(moves "$LVS_WORK/map1" "$LVS_WORK/map4" "$quiet")
ktap_eq "overloaded: the $had sources of $quiet moved, no other one" \
	"$had 0 0" "$moved $others $on"

# ---- mh-port: the source port is hashed too, one source spreads
adm -e -t "$SVC" -r "$qrip" -g -w 1 -x 0
ktap_check "-E -s mh -b mh-port" adm -E -t "$SVC" -s mh -b mh-port
port_hash_checks mh "$SVC"

adm -C
dmesg_check
ktap_finish
