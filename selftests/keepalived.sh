#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# keepalived drives ip_vs_lite through the "IPVS" front door
# (ipvs_abi=1). Run in the director's namespace with one virtual server
# of three real servers, each under a TCP_CHECK every second, it
# installs the table; when one real server's listener stops, the check
# fails, keepalived removes the real server and traffic goes to the two
# others; when the listener is back, so is the real server; when
# keepalived stops, its virtual server goes with it.
#
#      cli                dir                 rs1       rs2       rs3
#  192.0.2.100        192.0.2.6           192.0.2.7 192.0.2.8 192.0.2.9
#       |          VIP 192.0.2.5 (eth0)    VIP on lo VIP on lo VIP on lo
#       |          keepalived -C              |         |         |
#  =====+=================+=========br0=======+=========+=========+=====
#
#  cli -> VIP:80 -> dir (rr, -g, by keepalived) -> rs1 | rs2 | rs3 -> cli

source "$(dirname "$0")/lib.sh"

kad_require()
{
	KEEPALIVED=$(command -v keepalived) ||
		ktap_skip_all "keepalived not installed (selftests/vm/deps.sh installs it)"
	if [ "$LVS_MOD" = ip_vs_lite ]; then
		modinfo -p ip_vs_lite 2>/dev/null | grep -q '^ipvs_abi:' ||
			ktap_skip_all "this ip_vs_lite has no ipvs_abi parameter"
	fi
}

# kad_cleanup, trapped further down, unloads modules: a skipped run
# leaves them be.
lvs_test_begin 10 - kad_require

SVC="TCP $VIP:80"

kad_cleanup()
{
	lvs_cleanup
	[ "$LVS_MOD" = ip_vs_lite ] && lvs_unload
}
trap kad_cleanup EXIT

# ip_vs_lite answers keepalived only with the IPVS family registered.
load()
{
	if [ "$LVS_MOD" != ip_vs_lite ]; then
		lvs_load
		return
	fi
	ipvs_unload && lvs_unload && modprobe ip_vs_lite ipvs_abi=1
}

write_config()
{
	local rip

	lvs_workdir
	{
		echo "global_defs {"
		echo "	router_id ipvl_selftest"
		echo "}"
		echo "virtual_server $VIP 80 {"
		echo "	delay_loop 1"
		echo "	lb_algo rr"
		echo "	lb_kind DR"
		echo "	protocol TCP"
		for rip in "$RIP1" "$RIP2" "$RIP3"; do
			echo "	real_server $rip 80 {"
			echo "		weight 1"
			echo "		TCP_CHECK {"
			echo "			connect_timeout 1"
			echo "			retry 1"
			echo "			delay_before_retry 1"
			echo "		}"
			echo "	}"
		done
		echo "}"
	} >"$LVS_WORK/keepalived.conf"
}

# The table as the admin tool lists it, whitespace normalised.
table()
{
	adm -ln | awk '/^(TCP|UDP|FWM)/ { $1 = $1; print; next }
		       $1 == "->" && $2 ~ /^[0-9]/ { print $1, $2, $3, $4 }'
}

has_rs()
{
	table | grep -q "^-> $1:80 "
}

has_no_rs()
{
	! has_rs "$1"
}

no_service()
{
	! table | grep -q "^$SVC "
}

# wait_for SECS CMD...: until CMD succeeds, SECS seconds at most; the
# time it took, in seconds, goes to $WAITED.
WAITED=
wait_for()
{
	local start ns rc

	start=$(date +%s%N)
	wait_until "$@"
	rc=$?
	ns=$(($(date +%s%N) - start))
	WAITED=$(printf '%d.%d' $((ns / 1000000000)) $((ns / 100000000 % 10)))
	return $rc
}

# gets N: N GETs of / from the client, in one shell; "rs1=a rs2=b rs3=c".
gets()
{
	local names

	# shellcheck disable=SC2016 # the inner shell expands them
	names=$(ip netns exec cli sh -c '
		i=0
		while [ $i -lt $1 ]; do
			curl -s -m 5 "http://$2/" || echo none
			i=$((i + 1))
		done' sh "$1" "$VIP")
	# shellcheck disable=SC2086 # one word per reply
	echo "rs1=$(count rs1 $names) rs2=$(count rs2 $names) rs3=$(count rs3 $names)"
}

httpd_pid()
{
	local pid

	for pid in $(ip netns pids "$1"); do
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
			grep -q '^busybox httpd ' && echo "$pid"
	done
}

load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }
write_config

ktap_check "keepalived's configuration parses" \
	"$KEEPALIVED" -t -f "$LVS_WORK/keepalived.conf"

lvs_bg ip netns exec "$DIR_NS" "$KEEPALIVED" --dont-fork --log-console \
	--log-detail --no-syslog --check \
	--use-file="$LVS_WORK/keepalived.conf" \
	--pid="$LVS_WORK/keepalived.pid" \
	--checkers_pid="$LVS_WORK/checkers.pid" \
	>"$LVS_WORK/keepalived.log" 2>&1
KAD_PID=${LVS_BG_PIDS[-1]}

installed()
{
	[ "$(table)" = "$SVC rr
-> $RIP1:80 Route 1
-> $RIP2:80 Route 1
-> $RIP3:80 Route 1" ]
}

wait_for 30 installed
ktap_result "keepalived installs $SVC rr with 3 real servers (${WAITED}s)" $?
[ "$(table | head -n1)" = "$SVC rr" ] || ktap_diag "$(adm -ln)"

ktap_eq "6 GETs: rr over the 3 real servers" "rs1=2 rs2=2 rs3=2" "$(gets 6)"

pid=$(httpd_pid rs2)
[ -n "$pid" ] && kill "$pid"
wait_for 30 has_no_rs "$RIP2"
ktap_result "rs2's listener stopped: keepalived removes it (${WAITED}s)" $?

ktap_eq "6 GETs avoid rs2" "rs1=3 rs2=0 rs3=3" "$(gets 6)"

lvs_bg ip netns exec rs2 busybox httpd -f -p 80 -h "$LVS_WORK/rs2/www"
wait_for 30 has_rs "$RIP2"
ktap_result "rs2's listener back: keepalived adds it again (${WAITED}s)" $?

ktap_eq "6 GETs: rr over the 3 real servers again" "rs1=2 rs2=2 rs3=2" \
	"$(gets 6)"

kill "$KAD_PID"
stopped()
{
	no_service && ! kill -0 "$KAD_PID" 2>/dev/null
}
wait_for 30 stopped
ktap_result "keepalived stopped: its virtual server is gone (${WAITED}s)" $?

bad=$(grep -iE 'ipvs.*(fail|error)|(fail|error).*ipvs' "$LVS_WORK/keepalived.log")
ktap_result "keepalived logged no IPVS error" $((${#bad} > 0))
[ -n "$bad" ] && ktap_diag "$bad"

dmesg_check
ktap_finish
