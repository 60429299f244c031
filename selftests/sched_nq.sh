#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nq (never queue) scheduler: connections held open make the active
# counts uneven, and every new connection must go to the first server in
# the list with no active connection, or, when there is none, to the
# server with the least (ActiveConn + 1) / Weight, as "lvsadm -ln" shows
# them just before. With rs1 of weight 1 and rs2 of weight 3 the held
# connections go to rs1 rs2 (both idle in turn; sed would have picked rs2
# first) and then, by sed's rule, rs2 rs2 rs2 rs2 rs1. rs3, of weight 0,
# gets nothing although it is idle.
#
#      cli                dir                 rs1       rs2       rs3
#  192.0.2.100        192.0.2.6           192.0.2.7 192.0.2.8 192.0.2.9
#       |          VIP 192.0.2.5 (eth0)   weight 1  weight 3  weight 0
#  =====+=================+=========br0=======+=========+=========+=====

source "$(dirname "$0")/lib.sh"

trap lvs_cleanup EXIT

ktap_header
lvs_require
ktap_plan 11
dmesg_mark

SVC="$VIP:25"
SCHED="nq"
EXPECTED="rs1 rs2 rs2 rs2 rs2 rs2 rs1"

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
mod_available "$(sched_mod $SCHED)" ||
	ktap_skip_all "no module $(sched_mod $SCHED)"
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

# The choice the formula makes from the listing: "sed" or "nq" (the first
# idle server, else sed's choice). Also sets LOADS to "rsN=active/weight
# ..." for the diagnostics.
expect()
{
	adm -ln | awk -v svc="TCP $SVC" -v mode="$1" \
		-v r1="$RIP1" -v r2="$RIP2" -v r3="$RIP3" '
		BEGIN { name[r1] = "rs1"; name[r2] = "rs2"; name[r3] = "rs3" }
		/^(TCP|UDP)/ { cur = $1 " " $2; next }
		$1 == "->" && cur == svc {
			split($2, a, ":")
			n = name[a[1]]
			w = $4; act = $5
			loads = loads " " n "=" act "/" w
			if (w <= 0)
				next
			if (mode == "nq" && act == 0 && idle == "")
				idle = n
			if (best == "" || (bact + 1) * w > (act + 1) * bw) {
				best = n; bact = act; bw = w
			}
		}
		END {
			print (idle != "" ? idle : best != "" ? best : "none") loads
		}'
}

# hold_next N: connection number N, held open in the background; sets
# HELD to the server whose banner came back ("none" after 10 s). The
# director has seen the handshake complete once the banner is here.
hold_next()
{
	local out=$LVS_WORK/hold.$1

	smtp_hold 120 "$out"
	HELD=
	for _ in $(seq 100); do
		HELD=$(awk 'NR == 1 { print $2 }' "$out" 2>/dev/null)
		[ -n "$HELD" ] && break
		sleep 0.1
	done
	HELD=${HELD:-none}
}

ktap_check "$SCHED service, rs1 -w 1, rs2 -w 3, rs3 -w 0" \
	adm_batch "-A -t $SVC -s $SCHED" "-a -t $SVC -r $RIP1 -g -w 1" \
	"-a -t $SVC -r $RIP2 -g -w 3" "-a -t $SVC -r $RIP3 -g -w 0"

seq=
for n in $(seq 7); do
	read -r want loads <<<"$(expect $SCHED)"
	hold_next "$n"
	seq+="$HELD "
	ktap_eq "held connection $n goes to $want (active/weight:$loads)" \
		"$want" "$HELD"
done
ktap_eq "sequence of held connections" "$EXPECTED" "${seq% }"

ktap_eq "ActiveConn rs1 rs2 rs3 after 7 held connections" "2 5 0" \
	"$(dest_field "TCP $SVC" "$RIP1:25" active) \
$(dest_field "TCP $SVC" "$RIP2:25" active) \
$(dest_field "TCP $SVC" "$RIP3:25" active)"

adm -C
dmesg_check
ktap_finish
