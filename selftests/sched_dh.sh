#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dh (destination hashing) scheduler: eight virtual addresses, each a
# dh service on port 80 with the same three real servers. All connections
# to one address must reach one server, and the addresses must spread
# over the servers. A quiesced server must get no new flows; restoring
# its weight must restore the original mapping, since the table depends
# on nothing else. A server over its connection threshold keeps its
# buckets, and the fallback rule sends its addresses to the next server
# in list order.
#
#   cli 192.0.2.100      dir: VIPs 192.0.2.20..27 on eth0
#          |                 |
#   =======+======br0========+=========+===============+===============+===
#                       rs1 192.0.2.7   rs2 192.0.2.8   rs3 192.0.2.9
#                       (VIPs on lo)

source "$(dirname "$0")/lib.sh"

lvs_test_begin 12

PER_VIP=5

sched_require dh
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

VIPS=()
for i in $(seq 0 7); do
	VIPS+=("192.0.2.$((20 + i))")
done
for ns in "$DIR_NS" rs1 rs2 rs3; do
	dev=lo
	[ "$ns" = "$DIR_NS" ] && dev=eth0
	printf "addr add %s/32 dev $dev\n" "${VIPS[@]}" | ip -n "$ns" -batch -
done

# vip_round N: N GETs of / to every virtual address, each on a
# connection of its own, all from one curl process (starting one is slow
# in the VM). Prints one "VIP SERVER" line per GET, SERVER "none" if it
# failed.
vip_round()
{
	local n=$1 args=(-s -m 20 -w '%{remote_ip}\n') vip i

	for vip in "${VIPS[@]}"; do
		for i in $(seq "$n"); do
			args+=("http://$vip/")
		done
	done
	curl_who "${args[@]}"
}

# vip_map N OUT: N connections to every address; OUT gets one line per
# address, in the order of VIPS, as map_lines prints them.
vip_map()
{
	vip_round "$1" | map_lines "$1" "${VIPS[@]}" >"$2"
}

# edit_all ARGS: the same real server edit in every service, in one -R.
edit_all()
{
	local vip

	for vip in "${VIPS[@]}"; do
		echo "-e -t $vip:80 $*"
	done | adm -R
}

setup()
{
	local vip

	for vip in "${VIPS[@]}"; do
		echo "-A -t $vip:80 -s dh"
		echo "-a -t $vip:80 -r $RIP1 -g"
		echo "-a -t $vip:80 -r $RIP2 -g"
		echo "-a -t $vip:80 -r $RIP3 -g"
	done | adm -R
}

ktap_check "8 dh services ${VIPS[0]}..${VIPS[7]}:80 with rs1, rs2, rs3" setup

# ---- every address sticks, and the addresses spread
vip_map "$PER_VIP" "$LVS_WORK/map1"
ktap_eq "$((8 * PER_VIP)) connections: each address always on one server" \
	"" "$(not_sticky "$LVS_WORK/map1")"
per_rs=$(awk '{ print $2 }' "$LVS_WORK/map1" | name_counts)
ktap_diag "addresses per server: $per_rs"
[ "$(wc -w <<<"$per_rs")" -ge 2 ]
ktap_result "the addresses spread over several servers ($per_rs)" $?

# ---- a quiesced server gets nothing; its weight back, all is as before
quiet=$(awk 'NR == 1 { print $2 }' "$LVS_WORK/map1")
case $quiet in
rs1) qrip=$RIP1 next=rs2 ;;
rs2) qrip=$RIP2 next=rs3 ;;
*) qrip=$RIP3 next=rs1 ;;
esac
ktap_check "quiesce $quiet in every service" edit_all -r "$qrip" -g -w 0
vip_map 1 "$LVS_WORK/map2"
ktap_eq "weight 0: every address answered, none by $quiet" \
	"" "$(grep -w "$quiet" "$LVS_WORK/map2"; not_sticky "$LVS_WORK/map2")"
ktap_check "$quiet back to weight 1" edit_all -r "$qrip" -g -w 1
vip_map 1 "$LVS_WORK/map3"
ktap_eq "weight back to 1: every address on its first server again" \
	"$(cat "$LVS_WORK/map1")" "$(cat "$LVS_WORK/map3")"

# ---- fallback: an overloaded server keeps its buckets; the next bucket
# with a usable server, that of the next server in list order, takes over.
ktap_check "$quiet over its threshold (-x 1) in every service" \
	edit_all -r "$qrip" -g -w 1 -x 1
vip_map 1 "$LVS_WORK/map4"
ktap_eq "overloaded: addresses of $quiet go to $next, the others stay" \
	"$(sed "s/ $quiet\$/ $next/" "$LVS_WORK/map1")" \
	"$(cat "$LVS_WORK/map4")"
ktap_check "threshold removed (-x 0)" edit_all -r "$qrip" -g -w 1 -x 0
vip_map 1 "$LVS_WORK/map5"
ktap_eq "no threshold: every address on its first server again" \
	"$(cat "$LVS_WORK/map1")" "$(cat "$LVS_WORK/map5")"

adm -C
dmesg_check
ktap_finish
