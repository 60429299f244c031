#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SYN flood at a DR service from spoofed random sources, with the
# connection limit set low (conn_max=CONN_MAX) so that it is reached,
# while a legitimate client keeps opening connections. Checks: the
# connection count never exceeds the limit, slab stays bounded, the
# limit shows in the drop counters and entries were replaced (evicted
# half-open ones: more connections scheduled than the table holds,
# within less than the SYN_RECV timeout), the legitimate client still
# gets through, and dmesg is clean. The figures (flood rate, success
# rate, peak entries, slab) are printed as diagnostics.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#  + SYNs from        VIP 192.0.2.5       VIP on lo     VIP on lo
#  198.51.100.0/24        |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  TCP VIP:25 rr -> rs1, rs2 (-g); conn_max=CONN_MAX
#
# Environment: FLOOD_COUNT SYNs (default 50000), CONN_MAX (default 2000),
# SLAB_BOUND_KB (default 16384): the most unreclaimable slab may grow.

source "$(dirname "$0")/lib.sh"

RAW=$LIB_DIR/rawpkt.py
CC=${CC:-cc}
FLOOD_COUNT=${FLOOD_COUNT:-50000}
CONN_MAX=${CONN_MAX:-2000}
SLAB_BOUND_KB=${SLAB_BOUND_KB:-16384}
SPOOF_NET=198.51.100.0/24
PARAM=/sys/module/$LVS_MOD/parameters/conn_max
OLD_MAX=

cleanup()
{
	[ -n "$OLD_MAX" ] && echo "$OLD_MAX" >"$PARAM"
	lvs_cleanup
}

lvs_test_begin 9 cleanup cmd_require python3
lvs_load || ktap_skip_all "cannot load $LVS_MOD"
[ -w "$PARAM" ] || ktap_skip_all "$PARAM missing"
OLD_MAX=$(cat "$PARAM")

ok=1
lvs_workdir
lvs_topology 2 &&
	adm_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
		"-a -t $VIP:25 -r $RIP2 -g" || ok=0
# Spoofed sources have no route back; the director must not care.
ip netns exec "$DIR_NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.eth0.rp_filter=0
echo "$CONN_MAX" >"$PARAM"
ktap_result "topology, TCP $VIP:25 rr with two real servers, conn_max=$CONN_MAX" $((1 - ok))
[ $ok = 1 ] || ktap_finish

DIRMAC=$(ip -n "$DIR_NS" -br link show eth0 | awk '{ print $3 }')
W=$LVS_WORK

info_field()
{
	adm --info | awk -v k="$1" '$0 ~ "^ *" k { print $NF; exit }'
}

svc_conns()
{
	adm -ln --stats | awk '/^TCP/ { print $3; exit }'
}

# Every half second until STOP: "TIME ENTRIES SUNRECLAIM SCHEDULED",
# SCHEDULED the service's connection count.
sampler()
{
	while [ ! -e "$W/stop" ]; do
		echo "$(date +%s) $(info_field connections:)" \
		     "$(meminfo_kb SUnreclaim) $(svc_conns)"
		sleep 0.5
	done >"$W/samples"
}

probe()
{
	ip netns exec cli python3 "$RAW" tcp-probe "$VIP" 25 "$@"
}

# The sender: selftests/synflood.c when a compiler is at hand (a
# scripted sender manages well under 1000 SYNs/s under TCG).
"$CC" -O2 -o "$W/synflood" "$LIB_DIR/synflood.c" 2>"$W/cc.log"
flooder()
{
	if [ -x "$W/synflood" ]; then
		ip netns exec cli "$W/synflood" eth0 "$DIRMAC" "$SPOOF_NET" \
			"$VIP" 25 "$FLOOD_COUNT"
	else
		ip netns exec cli python3 "$RAW" syn-flood eth0 "$DIRMAC" \
			"$SPOOF_NET" "$VIP" 25 "$FLOOD_COUNT"
	fi
}

# ---- a legitimate client alone
calm=$(probe "$W/none" 10 | tail -n1)
ktap_diag "without flood: $calm"

sync
echo 3 >/proc/sys/vm/drop_caches
slab0=$(meminfo_kb SUnreclaim)

# ---- the flood, the client and the sampler together
sampler &
spid=$!
probe "$W/stop" >"$W/probe" &
ppid=$!
# The client runs (its interpreter takes seconds to start under TCG).
wait_until 20 grep -q started "$W/probe"
start=$(date +%s)
flooder >"$W/flood" 2>&1
rc=$?
secs=$(($(date +%s) - start))
touch "$W/stop"
wait $ppid $spid

ktap_result "$(cat "$W/flood")" $rc

read -r tried answered < <(awk '/tried/ { print $2, $4 }' "$W/probe")
rate=$((tried ? answered * 100 / tried : 0))
ktap_diag "legitimate client under flood: $answered of $tried connections answered ($rate%)"
[ "${answered:-0}" -gt 0 ]
ktap_result "legitimate client gets through during the flood ($answered/$tried, $rate%)" $?

peak=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$W/samples")
slab_peak=$(awk '$3 > m { m = $3 } END { print m + 0 }' "$W/samples")
ktap_diag "samples: $(wc -l <"$W/samples"), peak entries $peak, SUnreclaim ${slab0} kB before, peak ${slab_peak} kB"
[ "$peak" -le "$CONN_MAX" ] && [ "$peak" -gt 0 ]
ktap_result "entries never above conn_max (peak $peak of $CONN_MAX)" $?

now=$(info_field connections:)
[ "$now" -le "$CONN_MAX" ]
ktap_result "entries after the flood within conn_max ($now)" $?

growth=$((slab_peak - slab0))
[ "$growth" -le "$SLAB_BOUND_KB" ]
ktap_result "unreclaimable slab grew by ${growth} kB at most (bound ${SLAB_BOUND_KB} kB)" $?

limit=$(info_field conn_limit)
ktap_diag "drops: $(adm --info | awk '/^  / { printf "%s=%s ", $1, $2 }')"
# Where every new entry finds a half-open one to replace, nothing is
# dropped at the limit: reaching it is what shows.
[ "$peak" -eq "$CONN_MAX" ] || [ "${limit:-0}" -gt 0 ]
ktap_result "the limit was reached (peak $peak, conn_limit drops ${limit:-0})" $?

# Half-open entries live 60 s: scheduling more connections than the
# table holds within a shorter span means entries were replaced. The
# span is the busiest WINDOW seconds of the flood (all of it if shorter).
WINDOW=50
read -r busiest span < <(awk -v w="$WINDOW" '
	{ t[NR] = $1; c[NR] = $4 }
	END {
		j = 1
		for (i = 1; i <= NR; i++) {
			while (t[i] - t[j] > w)
				j++
			if (c[i] - c[j] > best) {
				best = c[i] - c[j]
				span = t[i] - t[j]
			}
		}
		print best + 0, span + 0
	}' "$W/samples")
ktap_diag "connections scheduled: $(svc_conns) in ${secs} s, $busiest of them within ${span} s"
[ "$busiest" -gt "$CONN_MAX" ]
ktap_result "half-open entries evicted: $busiest connections scheduled within ${span} s into a table of $CONN_MAX" $?

dmesg_check
ktap_finish
