#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scale-out: two directors behind a router that spreads the VIP's flows
# over them with ECMP (L4 hash), both running an mh service with
# --sloppy and the same real servers, added in different orders. No
# state is shared between the directors; mh makes them agree. The client
# has one address, so the services hash its ports too (-b mh-port) to
# spread its flows.
#
#  - 4096 one-datagram UDP flows (an mh -o service on the same servers)
#    are mapped through each director alone: the maps must be identical.
#  - 50 long-lived TCP connections, one request a second each. dir1's
#    link goes down: every connection dir1 carried must go on through
#    dir2 with the same real server, without a reset or a gap of more
#    than a few seconds, and dir2's own connections must not notice.
#  - rs4 is added on both directors: the established connections keep
#    their real servers, and of the 4096 UDP flows at most 1/4 + 2
#    percentage points change server (the share is printed).
#  - Without --sloppy the same failover breaks every connection dir1
#    carried (dir2's stack resets them), which is what the flag buys.
#
#                          cli 203.0.113.10
#                                |
#                        c0 203.0.113.1
#                               rtr        VIP/32 nexthop via 198.51.100.2
#               d1 198.51.100.1   d2 198.51.100.5   nexthop via 198.51.100.6
#                      |                 |          (L4 hash)
#            up0 198.51.100.2      up0 198.51.100.6
#                    dir1              dir2        VIP 198.51.100.100 on lo
#              eth0 192.0.2.2    eth0 192.0.2.3
#                      |                 |
#  ===+================+=================+===br0===+========+========+========+==
#     |                                            |        |        |        |
#  rtr eth0 192.0.2.1                             rs1      rs2      rs3      rs4
#                                              192.0.2.7    .8       .9      .10
#                 VIP on lo, default via 192.0.2.1 (rtr); rs4 joins later
#
#  cli -> rtr -(ECMP)-> dir1 | dir2 -(mh, -g)-> rsN -> rtr -> cli
#
# Nobody asks for the VIP by ARP: the router reaches it through the
# directors' link addresses, and it lies outside the real servers'
# segment, where the directors and the real servers all hold it on lo
# with arp_ignore=1/arp_announce=2 anyway.

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.100
CIP=203.0.113.10
RTR_CLI=203.0.113.1
RTR_SEG=192.0.2.1
D1_LINK=198.51.100.2
D2_LINK=198.51.100.6
PORT=80
SVC=$VIP:$PORT
NCONN=50
NFLOW=4096
FIRST_PORT=20000
# Longest tolerated silence on a connection across a switch, and how long
# to watch after one, in seconds: a host running several TCG guests can
# stall one for seconds, so these are generous.
MAXGAP=10
WATCH=12
RIPS=("$RIP1" "$RIP2" "$RIP3" 192.0.2.10)
MH=$(sched_mod mh)
PEER=(python3 -S "$LIB_DIR/ecmp_peer.py")

lvs_test_begin 24 lvs_cleanup cmd_require python3

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
mod_available "$MH" || ktap_skip_all "no module $MH"
lvs_workdir

# ----------------------------------------------------------- topology

sysctls()
{
	local ns=$1

	shift
	ip netns exec "$ns" sysctl -qw "$@"
}

# link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2: a veth between two namespaces.
link()
{
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		return 1
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

topology()
{
	local i d

	setup_ns br cli rtr dir1 dir2 || return 1
	ip -n br link add br0 type bridge forward_delay 0 stp_state 0 ||
		return 1
	ip -n br link set br0 up

	link cli eth0 "$CIP/24" rtr c0 "$RTR_CLI/24" &&
		link rtr d1 198.51.100.1/30 dir1 up0 "$D1_LINK/30" &&
		link rtr d2 198.51.100.5/30 dir2 up0 "$D2_LINK/30" &&
		seg_attach rtr "$RTR_SEG" || return 1
	ip -n cli route add default via "$RTR_CLI"

	# The real servers' replies arrive from the VIP on the segment,
	# where the VIP is not routed: no reverse-path filter here.
	# Policy 1 (L4) would take the hash a packet already carries, and
	# over veth that is the client socket's, which TCP draws anew after
	# a retransmission timeout: the flow would change director, as it
	# never does behind a real router. Policy 3 hashes the 5-tuple
	# (fields 0x37) from the headers.
	sysctls rtr net.ipv4.ip_forward=1 \
		net.ipv4.fib_multipath_hash_policy=3 \
		net.ipv4.fib_multipath_hash_fields=0x0037 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.ignore_routes_with_linkdown=1
	for d in c0 d1 d2 eth0; do
		sysctls rtr "net.ipv4.conf.$d.rp_filter=0" \
			"net.ipv4.conf.$d.ignore_routes_with_linkdown=1"
	done
	ip -n rtr route add "$VIP/32" \
		nexthop via "$D1_LINK" dev d1 nexthop via "$D2_LINK" dev d2 ||
		return 1
	# The UDP probes of udp_map take one chosen director, leaving the
	# TCP connections to ECMP.
	ip -n rtr rule add pref 100 ipproto udp dport "$PORT" table 100 ||
		return 1

	for i in 1 2; do
		seg_attach "dir$i" "192.0.2.$((i + 1))" || return 1
		ip -n "dir$i" addr add "$VIP/32" dev lo
		ip -n "dir$i" route add default via "198.51.100.$((4 * i - 3))"
		sysctls "dir$i" net.ipv4.conf.all.arp_ignore=1 \
			net.ipv4.conf.all.arp_announce=2
	done

	for i in 1 2 3 4; do
		rs_setup "rs$i" "${RIPS[$((i - 1))]}" || return 1
		ip -n "rs$i" route add default via "$RTR_SEG"
		lvs_bg ip netns exec "rs$i" "${PEER[@]}" serve "rs$i" "$PORT" "$VIP"
	done
	for i in 1 2 3 4; do
		wait_listen "rs$i" "$PORT" || return 1
	done
}

# ----------------------------------------------------------- helpers

dadm()
{
	local ns=$1

	shift
	vlog "$ns: $ADM $*"
	ip netns exec "$ns" "$ADM_BIN" "$@"
}

# rs_name ADDR: the real server's name from its address.
rs_name()
{
	local i

	for i in "${!RIPS[@]}"; do
		[ "${RIPS[$i]}" = "$1" ] && { echo "rs$((i + 1))"; return; }
	done
	echo "?"
}

# configure NS SLOPPY RS...: TCP and UDP mh services on the VIP that hash
# the client's ports too, the real servers added in the order given.
configure()
{
	local ns=$1 sloppy=$2 i

	shift 2
	{
		echo "-A -t $SVC -s mh -b mh-port $sloppy"
		echo "-A -u $SVC -s mh -o -b mh-port"
		for i in "$@"; do
			echo "-a -t $SVC -r ${RIPS[$((i - 1))]} -g"
			echo "-a -u $SVC -r ${RIPS[$((i - 1))]} -g"
		done
	} | dadm "$ns" -R
}

# udp_map DIR OUT: the real server of each UDP flow through DIR alone.
udp_map()
{
	local via=$D1_LINK

	[ "$1" = dir2 ] && via=$D2_LINK
	ip -n rtr route replace "$VIP/32" via "$via" table 100
	ip netns exec cli "${PEER[@]}" udp-map "$VIP" "$PORT" "$FIRST_PORT" \
		"$NFLOW" >"$2"
}

# shares FILE: flows per real server.
shares()
{
	awk '{ print $2 }' "$1" | sort -V | uniq -c |
		awk '{ printf "%s%s=%d", sep, $2, $1; sep = " " }'
}

now()
{
	date +%s.%N
}

# answered LOG N: at least N answers on every connection, none failed.
answered()
{
	awk -v want="$2" -v n="$NCONN" '
		$2 == "-" { next }
		$4 == "connected" { next }
		$4 ~ /^(reset|eof|error)/ { exit 1 }
		{ got[$2]++ }
		END {
			for (i = 0; i < n; i++)
				if (got[i] < want)
					exit 1
		}' "$1"
}

# hold_start LOG: the client's connections, once all answered twice.
hold_start()
{
	: >"$1"
	lvs_bg ip netns exec cli "${PEER[@]}" hold "$VIP" "$PORT" "$NCONN" "$1"
	HOLD_PID=$!
	wait_until -i 0.5 60 answered "$1" 2
}

hold_stop()
{
	kill "$HOLD_PID" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
}

# conns NS: "SPORT REALSERVER" for each of the client's TCP connections
# in NS's connection table.
conns()
{
	dadm "$1" -lnc | awk -v c="$CIP:" -v v="$SVC" '
		$1 == "TCP" && index($4, c) == 1 && $5 == v {
			split($4, s, ":"); split($6, d, ":"); print s[2], d[1]
		}' | while read -r sport rip; do
		echo "$sport $(rs_name "$rip")"
	done | sort -n
}

# owners LOG OUT: "SPORT DIRECTOR REALSERVER" for every connection of the
# client that writes LOG, from the directors' tables; a connection in
# both tables appears twice.
owners()
{
	{
		conns dir1 | sed 's/ / dir1 /'
		conns dir2 | sed 's/ / dir2 /'
	} | awk 'NR == FNR { if ($4 == "connected") mine[$3] = 1; next }
		 $1 in mine' "$1" - | sort -n >"$2"
}

# report LOG T0 T1: per connection, between T0 and T1:
#   SPORT BEFORE AFTER ANSWERS FAILURE GAP
# BEFORE the last real server to answer before T0, AFTER the ones that
# answered after it (comma separated), FAILURE the first failure up to T1
# ("-" if none), GAP the longest silence from the last answer before T0
# to T1, in seconds.
report()
{
	awk -v t0="$2" -v t1="$3" '
		$2 == "-" || $4 == "connected" { next }
		{ i = $2; port[i] = $3 }
		$1 > t1 { next }
		$4 ~ /^(reset|eof|error)/ {
			if (!(i in fail))
				fail[i] = $4
			next
		}
		$1 <= t0 { before[i] = $4; last[i] = $1; next }
		{
			n[i]++
			if (!index("," after[i] ",", "," $4 ","))
				after[i] = after[i] (after[i] == "" ? "" : ",") $4
			if ((i in last) && $1 - last[i] > gap[i])
				gap[i] = $1 - last[i]
			last[i] = $1
		}
		END {
			for (i in port) {
				g = gap[i]
				if (!(i in fail) && (i in last) && t1 - last[i] > g)
					g = t1 - last[i]
				if (!(i in last))
					g = t1 - t0
				printf "%d %s %s %d %s %.1f\n", port[i],
				       (i in before) ? before[i] : "none",
				       (i in after) ? after[i] : "none", n[i],
				       (i in fail) ? fail[i] : "-", g
			}
		}' "$1" | sort -n
}

# carried OWNERS DIR: the source ports DIR carried.
carried()
{
	awk -v d="$2" '$2 == d { print $1 }' "$1"
}

# verdicts REPORT PORTS: of the connections on PORTS (a file),
# "TOTAL KEPT FAILED MAXGAP": KEPT answered after T0 by the real server
# that answered before, with no failure and no silence over MAXGAP;
# FAILED met a failure or stayed silent for more than MAXGAP.
verdicts()
{
	awk -v maxgap="$MAXGAP" 'NR == FNR { want[$1] = 1; next }
		!($1 in want) { next }
		{
			total++
			if ($6 > worst)
				worst = $6
			if ($5 != "-" || $6 > maxgap)
				failed++
			else if ($2 == $3 && $4 > 0)
				kept++
		}
		END { printf "%d %d %d %.1f\n", total, kept, failed, worst }' \
		"$2" "$1"
}

# expect_verdicts DESC EXPECTED REPORT PORTS: a test point on the first
# three fields of verdicts; on failure, the report lines concerned.
expect_verdicts()
{
	local v

	v=$(verdicts "$3" "$4")
	ktap_eq "$1" "$2" "$(cut -d' ' -f1-3 <<<"$v")" && return 0
	ktap_diag "SPORT BEFORE AFTER ANSWERS FAILURE GAP"
	ktap_diag "$(awk 'NR == FNR { want[$1] = 1; next } $1 in want' "$4" "$3")"
	return 1
}

# switch_off: dir1's router-facing link goes down; the route must drop
# its nexthop.
switch_off()
{
	ip -n rtr link set d1 down
	! ip -n rtr route get "$VIP" | grep -q " dev d1 "
}

switch_on()
{
	ip -n rtr link set d1 up &&
		ip -n rtr route replace "$VIP/32" \
			nexthop via "$D1_LINK" dev d1 nexthop via "$D2_LINK" dev d2
}

# ------------------------------------------------------------- setup

topology || { ktap_fail "topology"; ktap_finish; }

ktap_check "dir1: mh --sloppy services, real servers in the order rs1 rs2 rs3" \
	configure dir1 --sloppy 1 2 3
ktap_check "dir2: mh --sloppy services, real servers in the order rs3 rs1 rs2" \
	configure dir2 --sloppy 3 1 2
ktap_eq "both list TCP $SVC mh (mh-port) sloppy, sloppy_tcp sysctl 0" \
	"TCP $SVC mh (mh-port) sloppy 0 TCP $SVC mh (mh-port) sloppy 0" \
	"$(for d in dir1 dir2; do
		dadm $d -ln | grep "^TCP"
		ip netns exec $d sysctl -n net.ipv4.vs_lite.sloppy_tcp
	done | xargs)"

# ---- the directors agree on every flow
t=$(date +%s)
udp_map dir1 "$LVS_WORK/map1.dir1"
udp_map dir2 "$LVS_WORK/map1.dir2"
ktap_diag "UDP flows per real server, 3 servers: $(shares "$LVS_WORK/map1.dir1") ($(($(date +%s) - t)) s for 2 x $NFLOW flows)"
ktap_eq "$NFLOW UDP flows answered through dir1, all three servers used" \
	"0 3" "$(grep -c ' none$' "$LVS_WORK/map1.dir1") \
$(awk '{ print $2 }' "$LVS_WORK/map1.dir1" | sort -u | wc -l)"
ndiff=$(diff "$LVS_WORK/map1.dir1" "$LVS_WORK/map1.dir2" | grep -c '^<')
ktap_eq "dir1 and dir2 send each of $NFLOW flows to the same real server" \
	0 "$ndiff" ||
	ktap_diag "$(diff "$LVS_WORK/map1.dir1" "$LVS_WORK/map1.dir2" | head -n 20)"

# ---- 50 long-lived connections over both directors
LOG=$LVS_WORK/hold1
hold_start "$LOG"
ktap_result "$NCONN TCP connections open, each answered twice" $?
owners "$LOG" "$LVS_WORK/own1"
n1=$(carried "$LVS_WORK/own1" dir1 | tee "$LVS_WORK/ports.dir1" | wc -l)
n2=$(carried "$LVS_WORK/own1" dir2 | tee "$LVS_WORK/ports.dir2" | wc -l)
ktap_diag "dir1 carries $n1 connections, dir2 $n2"
dup=$(awk '{ print $1 }' "$LVS_WORK/own1" | sort | uniq -d | wc -l)
[ "$((n1 + n2))" = "$NCONN" ] && [ "$dup" = 0 ] && [ "$n1" -gt 0 ] &&
	[ "$n2" -gt 0 ]
ktap_result "each connection is on exactly one director, both carry some" $?
# The directors' tables and the answers name the same real servers.
t0=$(now)
mismatch=$(report "$LOG" "$t0" "$t0" |
	   awk 'NR == FNR { rs[$1] = $3; next } rs[$1] != $2' \
	       "$LVS_WORK/own1" - | wc -l)
ktap_eq "every connection is answered by the real server its entry names" \
	0 "$mismatch"

# ---- dir1 goes away: its connections go on through dir2
t0=$(now)
ktap_check "dir1's link down, the route to the VIP drops its nexthop" \
	switch_off
sleep "$WATCH"
report "$LOG" "$t0" "$(now)" >"$LVS_WORK/rep1"
read -r tot kept failed worst1 < <(verdicts "$LVS_WORK/rep1" "$LVS_WORK/ports.dir1")
read -r _ _ _ worst2 < <(verdicts "$LVS_WORK/rep1" "$LVS_WORK/ports.dir2")
ktap_diag "failover with --sloppy: of dir1's $tot connections $kept kept their real server through dir2, $failed failed; longest silence ${worst1} s (dir2's own: ${worst2} s)"
expect_verdicts "every one of dir1's connections goes on through dir2, same real server, no reset, silence <= ${MAXGAP} s" \
	"$n1 $n1 0" "$LVS_WORK/rep1" "$LVS_WORK/ports.dir1"
expect_verdicts "none of dir2's $n2 connections disturbed" \
	"$n2 $n2 0" "$LVS_WORK/rep1" "$LVS_WORK/ports.dir2"
owners "$LOG" "$LVS_WORK/own2"
ktap_eq "dir2 now holds all $NCONN connections, with the real servers dir1 had chosen" \
	"$(awk '{ print $1, $3 }' "$LVS_WORK/own1")" \
	"$(awk '$2 == "dir2" { print $1, $3 }' "$LVS_WORK/own2")"

# ---- dir1 back: its flows return to it, where their entries still are
awk '{ print $1 }' "$LVS_WORK/own1" >"$LVS_WORK/ports.all"
t0=$(now)
ktap_check "dir1's link back up, ECMP over both again" switch_on
# The connections' answers over the 5 s after the change are the verdict.
sleep 5
report "$LOG" "$t0" "$(now)" >"$LVS_WORK/rep2"
expect_verdicts "dir1 back: all $NCONN connections keep their real servers" \
	"$NCONN $NCONN 0" "$LVS_WORK/rep2" "$LVS_WORK/ports.all"

# ---- a fourth real server
add_rs4()
{
	dadm dir1 -a -t "$SVC" -r "${RIPS[3]}" -g &&
		dadm dir1 -a -u "$SVC" -r "${RIPS[3]}" -g &&
		dadm dir2 -a -u "$SVC" -r "${RIPS[3]}" -g &&
		dadm dir2 -a -t "$SVC" -r "${RIPS[3]}" -g
}
t0=$(now)
ktap_check "rs4 added on both directors" add_rs4
# As above: 5 s of answers after the change.
sleep 5
report "$LOG" "$t0" "$(now)" >"$LVS_WORK/rep3"
expect_verdicts "rs4 added: every established connection keeps its real server" \
	"$NCONN $NCONN 0" "$LVS_WORK/rep3" "$LVS_WORK/ports.all"

udp_map dir1 "$LVS_WORK/map2.dir1"
udp_map dir2 "$LVS_WORK/map2.dir2"
ndiff=$(diff "$LVS_WORK/map2.dir1" "$LVS_WORK/map2.dir2" | grep -c '^<')
ktap_eq "4 servers: dir1 and dir2 still agree on all $NFLOW flows" 0 "$ndiff" ||
	ktap_diag "$(diff "$LVS_WORK/map2.dir1" "$LVS_WORK/map2.dir2" | head -n 20)"
read -r moved to4 < <(awk 'NR == FNR { was[$1] = $2; next }
	$2 != was[$1] { moved++; to4 += $2 == "rs4" }
	END { print moved + 0, to4 + 0 }' "$LVS_WORK/map1.dir1" "$LVS_WORK/map2.dir1")
share=$((moved * 10000 / NFLOW))
ktap_diag "UDP flows per real server, 4 servers: $(shares "$LVS_WORK/map2.dir1")"
ktap_diag "adding rs4 moved $moved of $NFLOW flows ($((share / 100)).$(printf %02d $((share % 100)))%), $to4 of them to rs4, $((moved - to4)) between the old servers"
[ "$(grep -c ' none$' "$LVS_WORK/map2.dir1")" = 0 ] && [ "$share" -le 2700 ]
ktap_result "share of flows moved by adding a 4th server: $((share / 100)).$(printf %02d $((share % 100)))% <= 27%" $?
hold_stop

# ---- the same failover without --sloppy
unsloppy()
{
	dadm dir1 -E -t "$SVC" -s mh -b mh-port &&
		dadm dir2 -E -t "$SVC" -s mh -b mh-port
}
ktap_check "--sloppy off on both directors (-E without it)" unsloppy
ktap_eq "both list TCP $SVC mh (mh-port) without sloppy" \
	"TCP $SVC mh (mh-port) TCP $SVC mh (mh-port)" \
	"$(for d in dir1 dir2; do dadm $d -ln | grep "^TCP"; done | xargs)"
LOG=$LVS_WORK/hold2
hold_start "$LOG"
ktap_result "$NCONN new TCP connections open, each answered twice" $?
owners "$LOG" "$LVS_WORK/own3"
n1=$(carried "$LVS_WORK/own3" dir1 | tee "$LVS_WORK/ports.dir1" | wc -l)
n2=$(carried "$LVS_WORK/own3" dir2 | tee "$LVS_WORK/ports.dir2" | wc -l)
ktap_diag "dir1 carries $n1 connections, dir2 $n2"
t0=$(now)
switch_off
sleep "$WATCH"
report "$LOG" "$t0" "$(now)" >"$LVS_WORK/rep4"
read -r tot kept failed _ < <(verdicts "$LVS_WORK/rep4" "$LVS_WORK/ports.dir1")
resets=$(awk 'NR == FNR { want[$1] = 1; next } ($1 in want) && $5 == "reset"' \
	 "$LVS_WORK/ports.dir1" "$LVS_WORK/rep4" | wc -l)
ktap_diag "failover without --sloppy: of dir1's $tot connections $failed failed ($resets reset by dir2), $kept kept working"
ktap_eq "without --sloppy every one of dir1's $n1 connections breaks on dir2" \
	"$n1 $n1" "$tot $failed" ||
	ktap_diag "$(awk 'NR == FNR { want[$1] = 1; next } $1 in want' \
		     "$LVS_WORK/ports.dir1" "$LVS_WORK/rep4")"
expect_verdicts "without --sloppy dir2's own $n2 connections go on" \
	"$n2 $n2 0" "$LVS_WORK/rep4" "$LVS_WORK/ports.dir2"
hold_stop

for d in dir1 dir2; do
	dadm $d -C
done
dmesg_check
ktap_finish
