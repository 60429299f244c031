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

trap lvs_cleanup EXIT

ktap_header
lvs_require
ktap_plan 16
dmesg_mark

SVC="$VIP:80"
NRS=5
NSRC=50
MOD=$(sched_mod mh)

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
mod_available "$MOD" || ktap_skip_all "no module $MOD"
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

SRCS=()
for i in $(seq "$NSRC"); do
	SRCS+=("192.0.2.$((100 + i))")
done
printf 'addr add %s/24 dev eth0\n' "${SRCS[@]}" | ip -n cli -batch -

# who_round N [SRC...]: N GETs of / from every source address (all of
# SRCS by default), each on a connection of its own, all from one curl
# process (starting one is slow in the VM). Prints one "SRC SERVER" line
# per GET, SERVER "none" if it failed.
who_round()
{
	local n=$1 args=() src i

	shift
	[ $# -gt 0 ] || set -- "${SRCS[@]}"
	for src in "$@"; do
		[ ${#args[@]} -gt 0 ] && args+=(--next)
		args+=(-s -m 20 --interface "$src" -w '%{local_ip}\n')
		for i in $(seq "$n"); do
			args+=("http://$VIP/")
		done
	done
	ip netns exec cli curl "${args[@]}" |
		awk '/^rs[0-9]+$/ { rs = $1; next }
		     { print $1, rs ? rs : "none"; rs = "" }'
}

# map_round N OUT: N connections from every source; OUT gets one line
# "SRC SERVERS" per source, in the order of SRCS, SERVERS the distinct
# servers it reached, or "SRC answers=COUNT" if some GETs failed.
map_round()
{
	local n=$1 out=$2

	who_round "$n" | awk -v n="$n" -v srcs="${SRCS[*]}" '
		$2 != "none" {
			got[$1]++
			if (!seen[$1 " " $2]++) list[$1] = list[$1] " " $2
		}
		END {
			k = split(srcs, s, " ")
			for (i = 1; i <= k; i++)
				if (got[s[i]] == n) print s[i] list[s[i]]
				else print s[i], "answers=" got[s[i]] + 0
		}' >"$out"
}

not_sticky()
{
	awk 'NF != 2 || $2 ~ /=/' "$1"
}

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

# servers N SRC: the servers that answered N connections from SRC, or
# "failed" if any went unanswered.
servers()
{
	who_round "$1" "$2" | awk '
		$2 == "none" { failed = 1 }
		{ rs[$2] = 1 }
		END {
			if (failed) { print "failed"; exit }
			for (r in rs) n++
			print n + 0
		}'
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
per_rs=$(awk '{ print $2 }' "$LVS_WORK/map1" | sort -V | uniq -c |
	 awk '{ print $2 "=" $1 }' | xargs)
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
ktap_eq "listed as mh (mh-port)" "TCP $SVC mh (mh-port)" \
	"$(adm -ln | awk '/^TCP/ { $1 = $1; print }')"
n=$(servers 20 "${SRCS[0]}")
[ "$n" != failed ] && [ "$n" -ge 2 ]
ktap_result "mh-port: 20 connections from ${SRCS[0]} reach $n servers" $?
ktap_check "-E -s mh without -b: the flag is cleared" adm -E -t "$SVC" -s mh
ktap_eq "without mh-port: 20 connections from ${SRCS[0]} reach one server" \
	1 "$(servers 20 "${SRCS[0]}")"

adm -C
dmesg_check
ktap_finish
