#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LVS/DR walk-through, for people: build the topology below, set up
# an rr service on VIP:25 with two real servers by direct routing, show
# the table, and connect a few times to see the real servers take turns.
# Run inside the test VM: "make demo".
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====

source "$(dirname "$0")/../lib.sh"

trap lvs_cleanup EXIT

say()
{
	printf '\n### %s\n' "$*"
}

run()
{
	echo "dir# $ADM $*"
	adm "$@"
}

adm_resolve || { echo "demo: $ADM not found (make tools)" >&2; exit 1; }
modprobe "$LVS_MOD" || { echo "demo: cannot load $LVS_MOD" >&2; exit 1; }
lvs_topology 2 || { echo "demo: topology setup failed" >&2; exit 1; }

say "Director 'dir' holds the VIP $VIP; rs1 ($RIP1) and rs2 ($RIP2) hold it on lo"
run -A -t "$VIP:25" -s rr || exit 1
run -a -t "$VIP:25" -r "$RIP1" -g || exit 1
run -a -t "$VIP:25" -r "$RIP2" -g || exit 1

say "The client connects to $VIP:25 six times"
replies=()
for i in 1 2 3 4 5 6; do
	line=$(ip netns exec cli timeout 10 busybox nc -w 3 "$VIP" 25 </dev/null |
	       head -n1)
	echo "cli\$ nc $VIP 25   ->   ${line:-no answer}"
	replies+=("$(awk '{ print $2 }' <<<"$line")")
done

say "The table, as the director sees it"
run -l
echo
run -ln

ok=1
for i in 1 2 3 4 5; do
	[ -n "${replies[$i]}" ] && [ "${replies[$i]}" != "${replies[$((i - 1))]}" ] ||
		ok=0
done
if [ $ok = 1 ]; then
	say "rs1 and rs2 answered in turn: ${replies[*]}"
	exit 0
fi
say "replies did not alternate: ${replies[*]}"
exit 1
