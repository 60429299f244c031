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

trap lvs_cleanup EXIT

ktap_header
lvs_require
ktap_plan 19
dmesg_mark

SVC="$VIP:80"
NSRC=20
PER_SRC=10

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
mod_available "$(sched_mod sh)" || ktap_skip_all "no module $(sched_mod sh)"
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

# The extra client source addresses, 192.0.2.101 and up.
SRCS=()
for i in $(seq "$NSRC"); do
	SRCS+=("192.0.2.$((100 + i))")
done
printf 'addr add %s/24 dev eth0\n' "${SRCS[@]}" | ip -n cli -batch -

# who_round N [SRC...]: N GETs of / from every source address (all of
# SRCS by default), each on a connection of its own (busybox httpd closes
# after every answer), all from one curl process as starting one costs
# about a second in the VM. Prints one "SRC SERVER" line per GET, SERVER
# "none" if it failed.
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
# servers it reached. A source that got fewer than N answers shows up as
# "SRC answers=COUNT" instead.
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

# The sources that reached more or fewer than one server; empty if none.
not_sticky()
{
	awk 'NF != 2 || $2 ~ /=/' "$1"
}

# Connections scheduled to the service's real servers, from --stats.
conns_sum()
{
	adm -ln --stats --exact | awk -v svc="$SVC" '
		/^(TCP|UDP)/ { cur = $2; next }
		$1 == "->" && cur == svc { sum += $3 }
		END { print sum + 0 }'
}

rs_conns()
{
	adm -ln --stats --exact | awk -v svc="$SVC" -v rs="$1:80" '
		/^(TCP|UDP)/ { cur = $2; next }
		$1 == "->" && cur == svc && $2 == rs { print $3 }'
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

ktap_check "add service TCP $SVC sh with rs1, rs2, rs3" \
	adm_batch "-A -t $SVC -s sh" "-a -t $SVC -r $RIP1 -g" \
	"-a -t $SVC -r $RIP2 -g" "-a -t $SVC -r $RIP3 -g"

# ---- 200 connections: every source sticks, every server has some
map_round "$PER_SRC" "$LVS_WORK/map1"
bad=$(not_sticky "$LVS_WORK/map1")
ktap_eq "$((NSRC * PER_SRC)) connections from $NSRC sources: each source always on one server" \
	"" "$bad"
per_rs=$(awk '{ print $2 }' "$LVS_WORK/map1" | sort | uniq -c |
	 awk '{ print $2 "=" $1 }' | xargs)
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
before=$(rs_conns "$qrip")
ktap_check "quiesce $quiet (weight 0)" adm -e -t "$SVC" -r "$qrip" -g -w 0
map_round 1 "$LVS_WORK/map2"
ktap_eq "weight 0: every source answered, none by $quiet" \
	"" "$(grep -w "$quiet" "$LVS_WORK/map2"; not_sticky "$LVS_WORK/map2")"
ktap_eq "weight 0: $quiet scheduled no connection" "$before" \
	"$(rs_conns "$qrip")"

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
ktap_eq "listed as sh (sh-port)" "TCP $SVC sh (sh-port)" \
	"$(adm -ln | awk '/^TCP/ { $1 = $1; print }')"
n=$(servers 20 "${SRCS[0]}")
[ "$n" != failed ] && [ "$n" -ge 2 ]
ktap_result "sh-port: 20 connections from ${SRCS[0]} reach $n servers" $?
ktap_check "-E -s sh without -b: the flag is cleared" adm -E -t "$SVC" -s sh
ktap_eq "without sh-port: 20 connections from ${SRCS[0]} reach one server" \
	1 "$(servers 20 "${SRCS[0]}")"

adm -C
dmesg_check
ktap_finish
