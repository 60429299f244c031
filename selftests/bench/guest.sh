#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One side of "make bench", run by selftests/bench/bench.sh inside a
# single-CPU qemu VM: either the kernel's IPVS driven by ipvsadm, or
# ip_vs_lite driven by lvsadm, on the same LVS/DR topology as the
# selftests (selftests/lib.sh), measured the same way. The other side
# runs in a second VM at the same time; the two meet in a shared
# directory before every measurement (meet below).
#
# Prints one "BENCH <key> <value>" line per measurement and
# "BENCHINFO <key> <value>" lines that describe the run; bench.sh turns
# them into the table.
#
# Environment (bench.sh sets them):
#   BENCH_SYS        ipvs or lite
#   BENCH_ROUNDS     rounds of every measurement (default 5)
#   BENCH_QUICK      1: short windows and small sizes, for development
#   BENCH_CONNRATE   the connrate binary (selftests/bench/connrate.c)
#   BENCH_RULES      rules file with BENCH_NSVC services for "-R"
#   BENCH_NBIG       live connections for the large scale row
#   BENCH_SCHED_RS   real server counts for the scheduler rows

BENCH_SYS=${BENCH_SYS:-lite}
case $BENCH_SYS in
ipvs)
	ADM=ipvsadm LVS_MOD=ip_vs SCHED_PREFIX=ip_vs_
	CONN_CACHE=ip_vs_conn OTHER=lite
	;;
lite)
	ADM=lvsadm LVS_MOD=ip_vs_lite SCHED_PREFIX=ip_vs_lite_
	CONN_CACHE=ipvl_conn OTHER=ipvs
	;;
*)
	echo "guest: BENCH_SYS must be ipvs or lite" >&2
	exit 2
	;;
esac
export ADM LVS_MOD SCHED_PREFIX

# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ROUNDS=${BENCH_ROUNDS:-5}
QUICK=${BENCH_QUICK:-0}
# Seconds: WARM before and WINDOW of each rate measurement (SCHED_ for
# the many scheduler rows), IDLE of each CPU measurement, and the time
# boxes that keep the slow rows within about half an hour: the budgets
# bound the rounds of the scheduler and control-plane rows, POP_BUDGET
# the time to fill the table for the large scale row.
if [ "$QUICK" = 1 ]; then
	WARM=0.5 WINDOW=2 SCHED_WARM=0.5 SCHED_WINDOW=1 IDLE=3
	SCHED_BUDGET=60 CONTROL_BUDGET=60 POP_BUDGET=15
	NBIG=${BENCH_NBIG:-20000} MEM_CONNS=10000
	SCHED_RS=${BENCH_SCHED_RS:-"10 100"}
else
	WARM=1 WINDOW=3 SCHED_WARM=0.5 SCHED_WINDOW=2 IDLE=10
	SCHED_BUDGET=540 CONTROL_BUDGET=420 POP_BUDGET=120
	NBIG=${BENCH_NBIG:-1000000} MEM_CONNS=100000
	SCHED_RS=${BENCH_SCHED_RS:-"10 1000"}
fi
CONNRATE=${BENCH_CONNRATE:?}
RULES=${BENCH_RULES:?}

PG=/proc/net/pktgen
UDP_PORT=9
TCP_PORT=80
# pktgen's sources: the scale rows' many clients, the small set, and the
# scheduler rows' random ones. No route back is needed: nothing answers.
SRC_NET=198.51.100
SMALL_SRC=$SRC_NET.250
SMALL_FLOWS=1000
DIR_MAC=
declare -A NS_PID

log()
{
	echo "guest[$BENCH_SYS]: $*" >&2
}

result()
{
	echo "BENCH $1 $2"
}

# result_win KEY VALUE KIND T0 T1 [COUNT]: a measurement over the window
# T0..T1 of the guest's clock. bench.sh samples how much host CPU time
# the guest's CPU thread got, and relates the window to that: a rate
# (KIND rate) becomes COUNT per second of host CPU, a duration (time)
# host CPU seconds, an idle share (busy) a share of a host CPU. On a
# busy host these are steadier than the wall-clock VALUE.
result_win()
{
	result "$1" "$2"
	echo "BENCHWIN $1 $3 $4 $5 ${6:-0}"
}

info()
{
	echo "BENCHINFO $1 $2"
}

# ------------------------------------------------------ meeting point

SYNC=/run/bench-sync
SYNC_SEQ=0
SOLO=0

sync_init()
{
	mkdir -p "$SYNC"
	if ! mount -t 9p -o trans=virtio,version=9p2000.L,cache=none \
	     bench "$SYNC" 2>/dev/null; then
		log "no shared directory: measuring alone"
		SOLO=1
	fi
}

# Under TCG the TSC is calibrated against an emulated timer at boot,
# and on a busy host that can go wrong by a factor of several, which
# tsc=reliable then never corrects: every rate would be off by it. The
# HPET counts the host's time, so the guest's clock follows that.
clock_init()
{
	local cs=/sys/devices/system/clocksource/clocksource0

	if ! grep -qw hpet $cs/available_clocksource ||
	   ! echo hpet >$cs/current_clocksource; then
		log "no HPET clocksource: rates follow the TSC calibration"
	fi
	info clocksource "$(cat $cs/current_clocksource)"
	GUEST_T0=$EPOCHREALTIME
	HOST_T0=$(host_time)
	[ -n "$HOST_T0" ] &&
		info clock_offset "$(awk -v g0="$GUEST_T0" -v g1="$EPOCHREALTIME" \
			-v h="$HOST_T0" 'BEGIN { printf "%.6f\n", h - (g0 + g1) / 2 }')"
}

# host_time: the host's clock, as the mtime the 9p server gives a file.
host_time()
{
	[ "$SOLO" = 1 ] && return
	: >"$SYNC/$BENCH_SYS.clock" && stat -c %.6Y "$SYNC/$BENCH_SYS.clock"
}

# How far the guest's clock went from the host's over the whole run.
clock_check()
{
	local h

	h=$(host_time)
	[ -n "$h" ] && [ -n "$HOST_T0" ] || return 0
	info clock_ratio "$(awk -v g=$((${EPOCHREALTIME/./} - ${GUEST_T0/./})) \
		-v h0="$HOST_T0" -v h1="$h" \
		'BEGIN { printf "%.3f\n", g / 1e6 / (h1 - h0) }')"
}

sync_end()
{
	[ "$SOLO" = 1 ] && [ ! -w "$SYNC" ] && return
	: >"$SYNC/$BENCH_SYS.end" 2>/dev/null
}

# meet NAME [VALUE]: wait until the other VM reaches the same point;
# MEET_OTHER is then the VALUE it brought (ours when alone). A side
# that has ended, or is not there after half an hour, is given up on.
meet()
{
	local name=$1 mine theirs deadline got

	MEET_OTHER=${2:-}
	SYNC_SEQ=$((SYNC_SEQ + 1))
	[ "$SOLO" = 1 ] && return 0
	mine=$SYNC/$BENCH_SYS.$SYNC_SEQ
	theirs=$SYNC/$OTHER.$SYNC_SEQ
	echo "$name|${2:-}" >"$mine.tmp" && mv "$mine.tmp" "$mine"
	deadline=$((SECONDS + 1800))
	while [ ! -e "$theirs" ]; do
		if [ -e "$SYNC/$OTHER.end" ] || [ $SECONDS -ge $deadline ]; then
			log "the other VM is gone: measuring alone from $name"
			info solo "$name"
			SOLO=1
			return 0
		fi
		sleep 0.05
	done
	got=$(cat "$theirs")
	[ "${got%%|*}" = "$name" ] || log "out of step: here $name, there ${got%%|*}"
	MEET_OTHER=${got#*|}
}

# agree NAME OP VALUE: AGREED is VALUE (an integer) combined with the
# other VM's by OP (min or max), so that both sides decide alike. Not
# to be called in a subshell: the meeting count must stay in step.
agree()
{
	local v=$3

	meet "$1" "$v"
	case $2 in
	min) [ "${MEET_OTHER:-$v}" -lt "$v" ] && v=$MEET_OTHER ;;
	max) [ "${MEET_OTHER:-$v}" -gt "$v" ] && v=$MEET_OTHER ;;
	esac
	AGREED=$v
}

# another_round NAME R START BUDGET: whether round R of a row that
# started at START (SECONDS) fits in BUDGET seconds, judging by the
# slower side's rounds so far. Round 1 always does.
another_round()
{
	local r=$2 spent

	[ "$r" -gt "$ROUNDS" ] && return 1
	[ "$r" = 1 ] && return 0
	agree "$1 $r" max $((SECONDS - $3))
	spent=$AGREED
	[ $((spent + spent / (r - 1))) -le "$4" ] ||
		{ log "$1: $((r - 1)) round(s) in ${spent}s, no more"; return 1; }
}

# ------------------------------------------------------------ modules

mod_unload()
{
	local m

	adm -C >/dev/null 2>&1
	for m in $(lsmod | awk -v p="^$SCHED_PREFIX" '$1 ~ p { print $1 }'); do
		modprobe -r "$m"
	done
	mod_loaded "$LVS_MOD" && modprobe -r "$LVS_MOD"
	! mod_loaded "$LVS_MOD"
}

# mod_reload [PARAM=VALUE...]: a fresh core module, no connections left.
mod_reload()
{
	mod_unload || { log "cannot unload $LVS_MOD"; return 1; }
	modprobe "$LVS_MOD" "$@"
}

# ----------------------------------------------------------- topology

topology()
{
	local ns

	setup_ns br || return 1
	ip -n br link add br0 type bridge forward_delay 0 stp_state 0 ||
		return 1
	ip -n br link set br0 up
	setup_ns cli && seg_attach cli "$CIP" || return 1
	dir_setup "$DIR_NS" "$DIP" || return 1
	rs_setup rs1 "$RIP1" && rs_setup rs2 "$RIP2" || return 1
	for ns in rs1 rs2; do
		# Counted at the veth, then dropped before any UDP work:
		# the real servers' cost must not limit the director's.
		ip netns exec $ns tc qdisc add dev eth0 ingress &&
			ip netns exec $ns tc filter add dev eth0 ingress \
				protocol ip flower ip_proto udp action drop ||
			return 1
		lvs_bg ip netns exec $ns "$CONNRATE" server $TCP_PORT
		NS_PID[$ns]=$!
	done
	wait_listen rs1 $TCP_PORT && wait_listen rs2 $TCP_PORT || return 1
	DIR_MAC=$(ip -n "$DIR_NS" -br link show dev eth0 | awk '{ print $3 }')
	RS1_MAC=$(ip -n rs1 -br link show dev eth0 | awk '{ print $3 }')
	[ -n "$DIR_MAC" ] && [ -n "$RS1_MAC" ]
}

# rx_packets NS...: packets the namespaces' eth0 received, read through
# /proc/PID/net of a process living there, so that no command has to
# be started between the time stamps of a measurement.
rx_packets()
{
	local ns sum=0 line name pkts

	for ns in "$@"; do
		while IFS= read -r line; do
			line=${line/:/ }
			read -r name _ pkts _ <<<"$line"
			[ "$name" = eth0 ] && sum=$((sum + pkts))
		done <"/proc/${NS_PID[$ns]}/net/dev"
	done
	echo $sum
}

# -------------------------------------------------------------- pktgen

# pg "FILE CMD"...: pktgen commands, each to its file under
# /proc/net/pktgen, from the client's namespace, in one go.
pg()
{
	# shellcheck disable=SC2016
	ip netns exec cli sh -c '
		for c; do
			echo "${c#* }" >"/proc/net/pktgen/${c%% *}" ||
				{ echo "pktgen: $c failed" >&2; exit 1; }
		done' sh "$@"
}

# pg_flows DST_MAC COUNT [CMD...]: a fresh pktgen device on the client's
# eth0: 64-byte frames (60 bytes and the FCS), UDP to VIP:9, COUNT
# packets (0: until stopped); CMDs choose the sources.
pg_flows()
{
	local mac=$1 count=$2 c cmds=()

	shift 2
	for c in "clone_skb 0" "pkt_size 60" "delay 0" "count $count" \
		 "dst_mac $mac" "dst $VIP" "udp_dst_min $UDP_PORT" \
		 "udp_dst_max $UDP_PORT" "$@"; do
		cmds+=("eth0 $c")
	done
	pg "kpktgend_0 rem_device_all" "kpktgend_0 add_device eth0" \
		"${cmds[@]}"
}

pg_stop()
{
	local pid=$1 i

	pg "pgctrl stop"
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# pg_rate NS...: start pktgen (configured already), and after a warm-up
# print the packets per second the namespaces' eth0 received, the
# count and the window ("RATE COUNT T0 T1").
pg_rate()
{
	local pid a b t0 t1 t2 t3

	ip netns exec cli sh -c "echo start >$PG/pgctrl" &
	pid=$!
	sleep "$WARM"
	t0=$EPOCHREALTIME
	a=$(rx_packets "$@")
	t1=$EPOCHREALTIME
	sleep "$WINDOW"
	t2=$EPOCHREALTIME
	b=$(rx_packets "$@")
	t3=$EPOCHREALTIME
	pg_stop $pid
	# Each counter was read somewhere between its two time stamps.
	awk -v n=$((b - a)) -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" \
		'BEGIN { s = (t0 + t1) / 2; e = (t2 + t3) / 2
			 printf "%.0f %d %.6f %.6f\n", n / (e - s), n, s, e }'
}

# measure KEY NS...: result_win of a pg_rate.
measure()
{
	local key=$1 rate n t0 t1

	shift
	read -r rate n t0 t1 <<<"$(pg_rate "$@")"
	result_win "$key" "$rate" rate "$t0" "$t1" "$n"
}

# pg_send [SECS]: run pktgen (configured already) until it has sent its
# count, or for SECS seconds at most.
pg_send()
{
	local pid end=$((SECONDS + ${1:-600}))

	ip netns exec cli sh -c "echo start >$PG/pgctrl" &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ $SECONDS -lt $end ]; do
		sleep 0.2
	done
	pg_stop $pid
}

# --------------------------------------------------------- admin tool

# conns: live connection entries, from the real servers' counters.
conns()
{
	adm -ln | awk '$1 == "->" && $5 ~ /^[0-9]+$/ { n += $5 + $6 }
		       END { print n + 0 }'
}

# dr_udp_service SCHED: UDP VIP:9 over rs1 and rs2 by direct routing.
dr_udp_service()
{
	adm_batch "-A -u $VIP:$UDP_PORT -s $1" \
		  "-a -u $VIP:$UDP_PORT -r $RIP1 -g" \
		  "-a -u $VIP:$UDP_PORT -r $RIP2 -g"
}

dr_tcp_service()
{
	adm_batch "-A -t $VIP:$TCP_PORT -s rr" \
		  "-a -t $VIP:$TCP_PORT -r $RIP1 -g" \
		  "-a -t $VIP:$TCP_PORT -r $RIP2 -g"
}

# ---------------------------------------------------------- the rows

# Ceiling, DR forwarding and new TCP connections, interleaved per round.
rows_forwarding()
{
	local r n secs t0 t1

	mod_reload || return 1
	adm --set 900 120 900 && dr_udp_service rr && dr_tcp_service ||
		return 1
	# Every flow of the random-source row exists before it is timed.
	pg_flows "$DIR_MAC" 58977 "udp_src_min 1024" "udp_src_max 60000" &&
		pg_send 120
	ip netns exec cli "$CONNRATE" client "$VIP" $TCP_PORT 1 >/dev/null
	info forwarding_conns "$(conns)"

	for r in $(seq "$ROUNDS"); do
		pg_flows "$RS1_MAC" 0 "udp_src_min 1024" "udp_src_max 1024"
		meet "ceiling $r"
		measure ceiling_pps rs1

		pg_flows "$DIR_MAC" 0 "udp_src_min 1024" "udp_src_max 60000" \
			"flag UDPSRC_RND"
		meet "dr flows $r"
		measure dr_flows_pps rs1 rs2

		pg_flows "$DIR_MAC" 0 "udp_src_min 1024" "udp_src_max 1024"
		meet "dr 1flow $r"
		measure dr_1flow_pps rs1 rs2

		meet "tcp $r"
		read -r n secs t0 t1 <<<"$(ip netns exec cli "$CONNRATE" client \
					  "$VIP" $TCP_PORT "$WINDOW")"
		result_win tcp_cps "$(awk -v n="$n" -v s="$secs" \
				      'BEGIN { printf "%.0f\n", n / s }')" \
			rate "$t0" "$t1" "$n"
	done
}

# sched_rules SCHED N: a UDP service on VIP:9 with N masqueraded real
# servers, on rs1 and rs2 alternately, each (address, port) its own;
# weights 1..4 so that the weighted schedulers have work to do.
sched_rules()
{
	local sched=$1 n=$2 i

	echo "-A -u $VIP:$UDP_PORT -s $sched"
	for i in $(seq 0 $((n - 1))); do
		if [ $((i % 2)) = 0 ]; then
			echo "-a -u $VIP:$UDP_PORT -r $RIP1:$((2000 + i / 2)) -m -w $((i % 4 + 1))"
		else
			echo "-a -u $VIP:$UDP_PORT -r $RIP2:$((2000 + i / 2)) -m -w $((i % 4 + 1))"
		fi
	done
}

# The schedulers of sched/, the classic four first.
sched_list()
{
	local s f all=

	for f in "$REPO_DIR"/sched/ip_vs_lite_*.c; do
		f=${f##*/ip_vs_lite_}
		f=${f%.c}
		# Kbuild's generated *.mod.c are no schedulers.
		[[ $f = *.* ]] || all+="$f"$'\n'
	done
	all=${all%$'\n'}
	for s in rr wrr lc wlc; do
		grep -qx "$s" <<<"$all" && echo "$s"
	done
	grep -vx 'rr\|wrr\|lc\|wlc' <<<"$all"
}

# New connections per second: every packet from a new random source, so
# that each one is scheduled; masquerading, since 1,000 real servers
# need more than the TEST-NET addresses. Entries expire after 1 s, so
# the table stays small and creation and expiry are both paid for. The
# service is built once per size and round; -E switches schedulers.
rows_sched()
{
	local r=1 s n start=$SECONDS rules=/tmp/bench-sched.rules
	local WARM=$SCHED_WARM WINDOW=$SCHED_WINDOW

	mod_reload || return 1
	adm --set 900 120 1 || return 1
	while another_round sched $r $start "$SCHED_BUDGET"; do
		for n in $SCHED_RS; do
			sched_rules rr "$n" >"$rules"
			if ! adm -C || ! adm -R <"$rules"; then
				log "cannot set up $n real servers"
				continue
			fi
			for s in $(sched_list); do
				adm -E -u "$VIP:$UDP_PORT" -s "$s" ||
					{ log "cannot switch to $s"; continue; }
				pg_flows "$DIR_MAC" 0 \
					"src_min $SRC_NET.1" "src_max $SRC_NET.254" \
					"udp_src_min 1024" "udp_src_max 60000" \
					"flag IPSRC_RND" "flag UDPSRC_RND"
				meet "sched $s $n $r"
				measure "sched_${s}_$n" rs1 rs2
			done
		done
		r=$((r + 1))
	done
	adm -C
}

# busy KEY: the non-idle share of the CPU over IDLE seconds, from the
# idle time the kernel measures itself (nohz), so that short bursts in
# softirq or in a kworker count as much as they cost. Sets BUSY.
busy()
{
	local a b t0 t1 hz

	hz=$(getconf CLK_TCK)
	t0=$EPOCHREALTIME
	a=$(awk '/^cpu / { print $5 + $6 }' /proc/stat)
	sleep "$IDLE"
	b=$(awk '/^cpu / { print $5 + $6 }' /proc/stat)
	t1=$EPOCHREALTIME
	BUSY=$(awk -v d=$((b - a)) -v t0="$t0" -v t1="$t1" -v hz="$hz" \
		'BEGIN { printf "%.2f\n", 100 * (1 - d / hz / (t1 - t0)) }')
	result_win "$1" "$BUSY" busy "$t0" "$t1"
}

# timed KEY CMD...: how long CMD took; its output is discarded.
timed()
{
	local key=$1 t0 t1

	shift
	t0=$EPOCHREALTIME
	"$@" >/dev/null || log "failed: $*"
	t1=$EPOCHREALTIME
	result_win "$key" "$(awk -v t0="$t0" -v t1="$t1" \
			     'BEGIN { printf "%.3f\n", t1 - t0 }')" \
		time "$t0" "$t1"
}

rows_control()
{
	local r=1 start=$SECONDS base

	mod_reload || return 1
	info rules_services "$(grep -c '^-A' "$RULES")"
	while another_round control $r $start "$CONTROL_BUDGET"; do
		meet "idle none $r"
		busy est_base_pct
		base=$BUSY

		meet "restore $r"
		timed cp_restore_s adm -R <"$RULES"
		# Let every estimator take its first sample.
		sleep 3
		meet "idle full $r"
		busy est_busy_pct
		result est_cost_pct "$(awk -v a="$BUSY" -v b="$base" \
				       'BEGIN { printf "%.2f\n", a - b }')"

		meet "list $r"
		timed cp_list_s adm -ln
		meet "flush $r"
		timed cp_flush_s adm -C
		r=$((r + 1))
	done
}

slab_kb()
{
	awk '/^Slab:/ { print $2 }' /proc/meminfo
}

gcd()
{
	local a=$1 b=$2 t

	while [ "$b" -gt 0 ]; do
		t=$((a % b))
		a=$b
		b=$t
	done
	echo "$a"
}

# flow_set N: "PORTS IPS", the smallest coprime pair with at least N
# flows; pktgen steps source port and address with every packet, so it
# goes through every pair before it repeats one. pktgen's port range
# excludes udp_src_max (its address range includes src_max): PORTS
# ports run from 1024 to udp_src_max 1024 + PORTS, exclusive.
flow_set()
{
	local ips ports

	ips=$((($1 + 49999) / 50000))
	ports=$((($1 + ips - 1) / ips))
	while [ "$(gcd $ports $ips)" != 1 ]; do
		ports=$((ports + 1))
	done
	echo "$ports $ips"
}

# populate PORTS IPS TARGET SECS: send TARGET packets from the flow set
# of PORTS source ports x IPS addresses (its first TARGET flows), again
# while drops left entries missing, for SECS seconds at most.
populate()
{
	local ports=$1 ips=$2 target=$3 end=$((SECONDS + $4))

	while [ $SECONDS -lt $end ]; do
		pg_flows "$DIR_MAC" "$target" \
			"src_min $SRC_NET.1" "src_max $SRC_NET.$ips" \
			"udp_src_min 1024" "udp_src_max $((1024 + ports))" &&
			pg_send $((end - SECONDS)) || return 1
		[ "$(conns)" -ge $((target * 99 / 100)) ] && break
	done
}

# Forwarding over live connections, the source sets cycled in order.
scale_rate()
{
	local key=$1 ports=$2 src_min=$3 src_max=$4 r

	for r in $(seq "$ROUNDS"); do
		pg_flows "$DIR_MAC" 0 "src_min $src_min" "src_max $src_max" \
			"udp_src_min 1024" "udp_src_max $((1024 + ports))"
		meet "$key $r"
		measure "$key" rs1 rs2
	done
}

# mem_row: MEM_CONNS new entries; the slab object size, and the Slab
# growth scaled to 100,000 entries. Sets POP_RATE (entries per second).
mem_row()
{
	local c0 c1 s0 s1 t0 set

	set=$(flow_set "$NBIG")
	c0=$(conns)
	s0=$(slab_kb)
	t0=$SECONDS
	# shellcheck disable=SC2086
	populate $set "$MEM_CONNS" "$POP_BUDGET"
	c1=$(conns)
	s1=$(slab_kb)
	POP_RATE=$(((c1 - c0) / (SECONDS - t0 + 1)))
	info "mem_conns" "$((c1 - c0))"
	result mem_objsize "$(cat "/sys/kernel/slab/$CONN_CACHE/slab_size")"
	[ "$c1" -gt "$c0" ] &&
		result mem_slab_mib "$(awk -v d=$((s1 - s0)) -v n=$((c1 - c0)) \
			'BEGIN { printf "%.1f\n", d * 1024 / n * 100000 / 1048576 }')"
}

# Memory and scale rows at conn_tab_bits 12, then 20: SMALL_FLOWS live
# connections; MEM_CONNS for the memory rows; then as many as both
# sides can make in POP_BUDGET seconds at the slower one's rate, at
# most NBIG. The slower table (12 bits) goes first and sets the count.
rows_scale()
{
	local bits nbig=0 set

	for bits in 12 20; do
		mod_reload conn_tab_bits=$bits || return 1
		adm --set 3600 120 3600 && dr_udp_service rr || return 1
		info "table_b$bits" "$(adm -ln | sed -n 's/.*(size=\([0-9]*\)).*/\1/p')"

		pg_flows "$DIR_MAC" $SMALL_FLOWS "src_min $SMALL_SRC" \
			"src_max $SMALL_SRC" "udp_src_min 1024" \
			"udp_src_max $((1024 + SMALL_FLOWS))" && pg_send 60
		scale_rate "scale_b${bits}_small" $SMALL_FLOWS "$SMALL_SRC" \
			"$SMALL_SRC"

		meet "memory $bits"
		mem_row
		if [ $nbig = 0 ]; then
			agree "big count" min $((POP_RATE * POP_BUDGET))
			nbig=$AGREED
			[ "$nbig" -gt "$NBIG" ] && nbig=$NBIG
			[ "$nbig" -lt "$MEM_CONNS" ] && nbig=$MEM_CONNS
			set=$(flow_set "$nbig")
			nbig=$((${set% *} * ${set#* }))
			info scale_flows $nbig
		fi
		meet "populate $bits"
		# shellcheck disable=SC2086
		populate $set $nbig $((2 * POP_BUDGET))
		info "conns_big_b$bits" "$(conns)"
		info "slab_mib_b$bits" $(($(slab_kb) / 1024))
		# shellcheck disable=SC2086
		scale_rate "scale_b${bits}_big" ${set% *} "$SRC_NET.1" \
			"$SRC_NET.${set#* }"
		meet "unload $bits"
		mod_unload
	done
}

# phase NAME FUNC: run a group of rows, noting how long it took.
phase()
{
	local t0=$SECONDS

	$2 || log "$1 rows failed"
	info "phase_s_$1" $((SECONDS - t0))
}

main()
{
	trap 'sync_end; lvs_cleanup' EXIT
	adm_resolve || { log "$ADM not found"; exit 1; }
	[ -x "$CONNRATE" ] || { log "no $CONNRATE"; exit 1; }
	modprobe pktgen || { log "no pktgen"; exit 1; }
	sync_init
	clock_init
	info kernel "$(uname -r)"
	info mem_mib $(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
	topology || { log "topology setup failed"; exit 1; }
	mod_reload || { log "cannot load $LVS_MOD"; exit 1; }
	meet start
	if [ "$SOLO" = 1 ] && mountpoint -q "$SYNC"; then
		log "the other VM did not start: nothing to compare with"
		exit 1
	fi

	for p in ${BENCH_PHASES:-forwarding sched control scale}; do
		phase "$p" "rows_$p"
	done
	mod_unload
	clock_check
	dmesg | grep -E "$DMESG_BAD" | head -n 20 | sed 's/^/BENCHINFO dmesg /'
	info finished 1
}

# Sourcing this file only defines the functions.
[ "${BASH_SOURCE[0]}" = "$0" ] && main
