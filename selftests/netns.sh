#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Network namespaces: each netns has its own service table. Two directors
# in two namespaces share the real servers; the same VIP:port may exist in
# both; clearing or deleting one namespace leaves the other (and the root
# namespace) untouched, including a namespace torn down with services and
# connections still in place.
#
#      cli                dir                 dir2                rs1       rs2
#  192.0.2.100        192.0.2.6           192.0.2.16          192.0.2.7 192.0.2.8
#       |          VIP  192.0.2.5      VIP2 192.0.2.15     VIP, VIP2 on lo
#       |                 |                   |                   |         |
#  =====+=================+=========br0=======+===================+=========+==
#
#  cli -> VIP:25  -> dir  (rr) -> rs1 | rs2
#  cli -> VIP2:25 -> dir2 (rr) -> rs2

source "$(dirname "$0")/lib.sh"

VIP2=192.0.2.15
DIP2=192.0.2.16
S25="$VIP:25"
T25="$VIP2:25"

lvs_test_begin 13

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
setup_ns dir2 && seg_attach dir2 "$DIP2" &&
	ip -n dir2 addr add "$VIP2/32" dev eth0 &&
	ip -n rs1 addr add "$VIP2/32" dev lo &&
	ip -n rs2 addr add "$VIP2/32" dev lo ||
	{ ktap_fail "second director"; ktap_finish; }

adm2()
{
	ip netns exec dir2 "$ADM_BIN" "$@"
}

adm_root()
{
	"$ADM_BIN" "$@"
}

# services NS: "proto addr:port sched [dests...]" for each service.
services()
{
	"$@" -ln | awk '
		/^(TCP|UDP)/ { if (line) print line; line = $1 " " $2 " " $3; next }
		$1 == "->" && line { line = line " " $2 }
		END { if (line) print line }'
}

# Real servers of each "services" line in a stable order.
sort_dests()
{
	local p a s rest

	while read -r p a s rest; do
		echo "$p $a $s $(xargs -n1 <<<"$rest" | sort | xargs)" |
			sed 's/ $//'
	done
}

who2()
{
	ip netns exec cli timeout 10 busybox nc -w 3 "$VIP2" 25 </dev/null 2>/dev/null |
		awk 'NR == 1 { print $2 }'
}

ktap_check "dir: VIP:25 rr with rs1, rs2" \
	adm_batch "-A -t $S25 -s rr" "-a -t $S25 -r $RIP1 -g" "-a -t $S25 -r $RIP2 -g"
ktap_check "dir2: VIP2:25 rr with rs2" \
	sh -c "ip netns exec dir2 $ADM_BIN -A -t $T25 -s rr &&
	       ip netns exec dir2 $ADM_BIN -a -t $T25 -r $RIP2 -g"
ktap_check "dir2: the same VIP:25 as dir can be added too" \
	sh -c "ip netns exec dir2 $ADM_BIN -A -t $S25 -s wlc &&
	       ip netns exec dir2 $ADM_BIN -a -t $S25 -r $RIP1 -g"

ktap_eq "dir lists only its own service" \
	"TCP $S25 rr $RIP1:25 $RIP2:25" "$(services adm | sort_dests)"
ktap_eq "dir2 lists only its own services" \
	"TCP $T25 rr $RIP2:25 | TCP $S25 wlc $RIP1:25" \
	"$(services adm2 | sort_dests | sort | paste -sd'|' | sed 's/|/ | /g')"

# The root namespace is a namespace like the others.
root_ok=1
[ -z "$(services adm_root)" ] || root_ok=0
adm_root -A -t 198.51.100.1:80 -s rr || root_ok=0
[ "$(services adm_root)" = "TCP 198.51.100.1:80 rr" ] || root_ok=0
[ "$(services adm | wc -l)" = 1 ] || root_ok=0
adm_root -D -t 198.51.100.1:80 || root_ok=0
ktap_result "root namespace table is separate (empty, add, not seen in dir, delete)" \
	$((1 - root_ok))

seq=$(smtp_seq 4)
ktap_eq "traffic to VIP via dir: rs1 and rs2 twice each" "2 2" \
	"$(count rs1 $seq) $(count rs2 $seq)"
ktap_eq "traffic to VIP2 via dir2: rs2 only" "rs2 rs2 rs2" \
	"$(who2) $(who2) $(who2)"

before=$(services adm)
adm2 -C
ktap_eq "dir2 -C leaves dir's table as it was" "$before" "$(services adm)"
ktap_eq "after dir2 -C: VIP2 reaches no real server, VIP still does" \
	"none 2" "$(w=$(who2); echo "${w:-none}") \
$(seq=$(smtp_seq 2); echo $(($(count rs1 $seq) + $(count rs2 $seq))))"

# ---- tear down namespaces with services and connections in place
ip netns exec dir2 "$ADM_BIN" -A -t "$T25" -s rr
ip netns exec dir2 "$ADM_BIN" -a -t "$T25" -r "$RIP2" -g
lvs_bg ip netns exec cli sh -c \
	"sleep 20 | timeout 25 busybox nc $VIP2 25 >/dev/null 2>&1"
# A second for the connection to be set up before its namespace goes.
sleep 1
cleanup_ns dir2
seq=$(smtp_seq 2)
ktap_eq "dir2 deleted with a service and a connection: VIP via dir still works" \
	"1 1" "$(count rs1 $seq) $(count rs2 $seq)"

smtp_hold 20 "$LVS_WORK/held"
# As above, a second for the connection.
sleep 1
cleanup_ns "$DIR_NS"
ok=1
mod_loaded "$LVS_MOD" || ok=0
[ -z "$(services adm_root)" ] || ok=0
adm_root -A -t 198.51.100.1:80 -s rr && adm_root -D -t 198.51.100.1:80 || ok=0
ktap_result "dir deleted with a service and a connection: root namespace still configurable" \
	$((1 - ok))

dmesg_check
ktap_finish
