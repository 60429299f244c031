#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPVS's /proc/net files from ip_vs_lite with ipvs_abi=1. Without the
# parameter there is no /proc/net/ip_vs, ip_vs_stats or ip_vs_conn. Then
# Debian's ipvsadm builds the same table in the kernel's ip_vs and, through
# the "IPVS" front door, in ip_vs_lite; in each, a client holds one
# connection to VIP:25 (rr, rs1 only, direct routing), and
# prometheus-node-exporter's ipvs collector is scraped in the director's
# netns. The two runs must give the same /proc/net/ip_vs (services and
# their real servers sorted: the walk order is not part of the format),
# the same /proc/net/ip_vs_conn (lines sorted, the client port and the
# expiry column blanked: the two connections come from different ports
# and not equally fast) and so the same ipvsadm -lnc, which reads it,
# /proc/net/ip_vs_stats laid out alike with the same connection count,
# and the same node_ipvs_backend_* metrics, which must also read the
# table's weights and the held connection. The files
# are per netns: the initial netns lists none of the director's services.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  cli:40000 (ip_vs), cli:40001 (ip_vs_lite) -> VIP:25 -> dir -> rs1
#
# Needs the ip_vs modules of the running kernel, ipvsadm and
# prometheus-node-exporter; unloads ip_vs again when done.

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8::5
RIP6=2001:db8::7
NODE_EXPORTER=
IPVS_SCHEDS="rr wrr wlc"

procfs_require()
{
	[ "$LVS_MOD" = ip_vs_lite ] ||
		ktap_skip_all "compares ip_vs_lite with ip_vs (testing $LVS_MOD)"
	cmd_require ipvsadm curl python3
	mod_available ip_vs || ktap_skip_all "no ip_vs module for $(uname -r)"
	modinfo -p ip_vs_lite 2>/dev/null | grep -q '^ipvs_abi:' ||
		ktap_skip_all "this ip_vs_lite has no ipvs_abi parameter"
	NODE_EXPORTER=$(command -v prometheus-node-exporter) ||
		ktap_skip_all "prometheus-node-exporter not installed"
}

procfs_cleanup()
{
	ip netns exec "$DIR_NS" ipvsadm -C >/dev/null 2>&1
	lvs_cleanup
	ipvs_unload
	lvs_unload
}

lvs_test_begin 21 procfs_cleanup procfs_require

ipvs()
{
	vlog "ipvsadm $*"
	ip netns exec "$DIR_NS" ipvsadm "$@"
}

# The table, as ipvsadm rules; SCTP comes last, see sctp_rules.
RULES="-A -t $VIP:25 -s rr
-a -t $VIP:25 -r $RIP1 -g -w 3
-A -t $VIP:80 -s wlc -p 300 -M 255.255.255.0
-a -t $VIP:80 -r $RIP1 -g
-a -t $VIP:80 -r $RIP2 -g -w 2
-A -u $VIP:53 -s rr -o
-a -u $VIP:53 -r $RIP2 -g
-A -t $VIP:443 -s wrr
-a -t $VIP:443 -r $RIP3:8443 -m -w 5
-a -t $VIP:443 -r $RIP2:443 -i -w 0
-A -f 1 -s rr -p 60
-a -f 1 -r $RIP1 -g -w 7
-A -t [$VIP6]:80 -s rr -p 120
-a -t [$VIP6]:80 -r [$RIP6]:80 -g -w 4"

# The procfs library that node_exporter reads /proc/net/ip_vs with knows
# no SCTP: it files an SCTP service's real servers under the service
# before. So SCTP joins the table only once the collector has been read.
SCTP_RULES="-A --sctp-service $VIP:5000 -s rr
-a --sctp-service $VIP:5000 -r $RIP1 -g"

# apply RULES: each line through ipvsadm; prints what failed.
apply()
{
	local l

	while read -r l; do
		# shellcheck disable=SC2086
		ipvs $l || echo "ipvsadm $l failed"
	done <<<"$1" 2>&1
}

files_absent()
{
	local f

	for f in ip_vs ip_vs_stats ip_vs_conn; do
		[ ! -e "/proc/net/$f" ] || { echo "/proc/net/$f exists"; return 1; }
		ip netns exec "$DIR_NS" test ! -e "/proc/net/$f" ||
			{ echo "/proc/net/$f exists in $DIR_NS"; return 1; }
	done
}

# hold PORT: a connection from cli:PORT to VIP:25 held open in the
# background until unhold; true once its banner is in.
hold()
{
	local out=$LVS_WORK/hold.$1

	lvs_bg ip netns exec cli timeout 105 python3 -S -c "
import socket, sys, time
s = socket.socket()
s.bind(('$CIP', $1))
s.connect(('$VIP', 25))
open('$out', 'wb').write(s.recv(100))
time.sleep(100)"
	[ "$(banner_of "$out")" = rs1 ]
}

unhold()
{
	local pids

	pids=$(ip netns pids cli)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill $pids 2>/dev/null
}

# established: the director's /proc/net/ip_vs_conn has the connection
# ESTABLISHED.
established()
{
	ip netns exec "$DIR_NS" grep -q ' ESTABLISHED ' /proc/net/ip_vs_conn
}

# exporter_up: node_exporter, ipvs collector only, in the director's
# netns, answering on 127.0.0.1:9100.
exporter_up()
{
	lvs_bg ip netns exec "$DIR_NS" "$NODE_EXPORTER" \
		--collector.disable-defaults --collector.ipvs \
		--web.listen-address=127.0.0.1:9100
	wait_sock "$DIR_NS" -Hltn 9100 30
}

# scrape DIR: node_exporter's metrics into DIR/metrics, and its node_ipvs
# backend lines, sorted, into DIR/backends; then it is stopped.
scrape()
{
	local pid=${LVS_BG_PIDS[-1]}

	ip netns exec "$DIR_NS" curl -s -m 20 http://127.0.0.1:9100/metrics \
		>"$1/metrics"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep '^node_ipvs_backend_' "$1/metrics" | sort >"$1/backends"
	[ -s "$1/backends" ]
}

# snapshot DIR: the director's three files, normalised, into DIR.
# ip_vs: each real server line prefixed with its service line, sorted.
# ip_vs_conn: lines sorted, FPrt and Expires blanked.
snapshot()
{
	local d=$1

	ip netns exec "$DIR_NS" cat /proc/net/ip_vs >"$d/ip_vs.raw"
	ip netns exec "$DIR_NS" cat /proc/net/ip_vs_conn >"$d/ip_vs_conn.raw"
	ip netns exec "$DIR_NS" cat /proc/net/ip_vs_stats >"$d/ip_vs_stats"
	cat /proc/net/ip_vs >"$d/ip_vs.init"
	{
		head -n3 "$d/ip_vs.raw"
		tail -n +4 "$d/ip_vs.raw" |
			awk '/^  -> / { print svc "|" $0; next }
			     { svc = $0; print }' | LC_ALL=C sort
	} >"$d/ip_vs"
	{
		head -n1 "$d/ip_vs_conn.raw"
		tail -n +2 "$d/ip_vs_conn.raw" |
			awk '{ $3 = "FPRT"; $9 = "EXP"; print }' | LC_ALL=C sort
	} >"$d/ip_vs_conn"
}

# run DIR PORT: build the table, hold a connection from PORT, scrape
# node_exporter, add SCTP, take the snapshot.
run()
{
	local d=$1 out

	mkdir -p "$d"
	out=$(apply "$RULES")
	[ -z "$out" ] || { echo "$out"; return 1; }
	hold "$2" || { echo "no banner from rs1"; return 1; }
	wait_until 15 established || { echo "not ESTABLISHED"; return 1; }
	exporter_up || { echo "node_exporter does not listen"; return 1; }
	scrape "$d" || { echo "no node_ipvs_backend metrics"; return 1; }
	out=$(apply "$SCTP_RULES")
	[ -z "$out" ] || { echo "$out"; return 1; }
	snapshot "$d"
	# ipvsadm -lc reads /proc/net/ip_vs_conn; time left and port blanked.
	ipvs -lnc | sed -E 's/^([A-Z]+ +)[0-9]{2}:[0-9]{2}/\1MM:SS/;
			   s/:4000[01] /:CPORT /' >"$d/lnc"
	unhold
	ipvs -C
}

lvs_workdir
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad

# ---- without ipvs_abi=1: no files
if ! lvs_unload || ! ipvs_unload; then
	ktap_fail "unload the modules"
	ktap_finish
fi
modprobe ip_vs_lite || { ktap_fail "load ip_vs_lite"; ktap_finish; }
ktap_check "without ipvs_abi=1: no /proc/net/ip_vs, ip_vs_stats, ip_vs_conn" \
	files_absent
lvs_unload

# ---- the kernel's ip_vs
# shellcheck disable=SC2086 # one word per scheduler
ipvs_load $IPVS_SCHEDS || ktap_skip_all "cannot load ip_vs"
ktap_check "ip_vs: table, connection, node_exporter scrape" \
	run "$LVS_WORK/ipvs" 40000
ipvs_unload

# ---- ip_vs_lite with ipvs_abi=1
modprobe ip_vs_lite ipvs_abi=1 || { ktap_fail "modprobe ip_vs_lite ipvs_abi=1"; ktap_finish; }
for s in $IPVS_SCHEDS; do
	modprobe "$(sched_mod "$s")"
done
ktap_check "ip_vs_lite: table, connection, node_exporter scrape" \
	run "$LVS_WORK/lvs" 40001

I=$LVS_WORK/ipvs
L=$LVS_WORK/lvs
ktap_eq "/proc/net/ip_vs: the same header, version and size included" \
	"$(head -n3 "$I/ip_vs")" "$(head -n3 "$L/ip_vs")"
ktap_check "/proc/net/ip_vs reads as ip_vs's (sorted by service)" \
	diff -u "$I/ip_vs" "$L/ip_vs"
ktap_eq "/proc/net/ip_vs lists 7 services and 9 real servers" "7 9" \
	"$(grep -cE '^(TCP|UDP|SCTP|FWM) ' "$L/ip_vs.raw") $(tail -n +4 "$L/ip_vs.raw" | grep -c '^  -> ')"
ktap_eq "the initial netns lists none of the director's services" "" \
	"$(tail -n +4 "$L/ip_vs.init")"
ktap_check "/proc/net/ip_vs_conn reads as ip_vs's (sorted, port and expiry blanked)" \
	diff -u "$I/ip_vs_conn" "$L/ip_vs_conn"
# held_listed FILE: the connection from cli:40001 to VIP:25, ESTABLISHED
# to rs1, in IPVS's columns.
held_listed()
{
	grep -qE '^TCP C0000264 9C41 C0000205 0019 C0000207 0019 ESTABLISHED +[0-9]+ *$' \
		"$1" || { cat "$1"; return 1; }
}
ktap_check "/proc/net/ip_vs_conn: the held connection, ESTABLISHED to rs1" \
	held_listed "$L/ip_vs_conn.raw"
ktap_check "ipvsadm -lnc lists the connection as with ip_vs" \
	diff -u "$I/lnc" "$L/lnc"
ktap_eq "ipvsadm -lnc: the held connection, ESTABLISHED to rs1" \
	"TCP ESTABLISHED $CIP:CPORT $VIP:25 $RIP1:25" \
	"$(awk '$3 == "ESTABLISHED" { print $1, $3, $4, $5, $6 }' "$L/lnc")"

# stats_layout FILE: IPVS's two header lines and two of figures each.
stats_layout()
{
	local hex8='[ 0-9A-F]{8}' hex16='[ 0-9A-F]{16}' figures

	figures="^$hex8 $hex8 $hex8 $hex16 $hex16\$"
	[ "$(wc -l <"$1")" = 6 ] &&
		sed -n 3p "$1" | grep -qE "$figures" &&
		sed -n 4p "$1" | grep -qx '' &&
		sed -n 6p "$1" | grep -qE "$figures"
}
ktap_check "/proc/net/ip_vs_stats: ip_vs's layout" stats_layout "$L/ip_vs_stats"
ktap_eq "/proc/net/ip_vs_stats: the same header lines" \
	"$(sed -n '1,2p;5p' "$I/ip_vs_stats")" "$(sed -n '1,2p;5p' "$L/ip_vs_stats")"
# stats_conns FILE: the total of connections, in decimal.
stats_conns()
{
	echo $((16#$(awk 'NR == 3 { print $1 }' "$1")))
}
ktap_eq "/proc/net/ip_vs_stats: one connection in each" "1 1" \
	"$(stats_conns "$I/ip_vs_stats") $(stats_conns "$L/ip_vs_stats")"

# metric DIR NAME LABELS: the value of node_exporter's metric NAME whose
# labels contain LABELS.
metric()
{
	grep -F "$2{" "$1/metrics" | grep -F "$3" | awk '{ print $2 }'
}

B25='local_address="192.0.2.5",local_mark="",local_port="25",proto="TCP",remote_address="192.0.2.7",remote_port="25"'
ktap_check "node_exporter: the same node_ipvs_backend metrics as with ip_vs" \
	diff -u "$I/backends" "$L/backends"
ktap_eq "node_exporter: VIP:25 -> rs1 weight 3, 1 active, 0 inactive" "3 1 0" \
	"$(metric "$L" node_ipvs_backend_weight "$B25") $(metric "$L" node_ipvs_backend_connections_active "$B25") $(metric "$L" node_ipvs_backend_connections_inactive "$B25")"
# The mark is labelled as the file has it, in hexadecimal.
ktap_eq "node_exporter: the mark and the IPv6 service's real servers" "7 4" \
	"$(metric "$L" node_ipvs_backend_weight 'local_mark="00000001"') $(metric "$L" node_ipvs_backend_weight "local_address=\"$VIP6\"")"
ktap_eq "node_exporter: 8 backends (SCTP added after)" 8 \
	"$(grep -c '^node_ipvs_backend_weight{' "$L/metrics")"
ktap_eq "node_exporter: node_ipvs_connections_total 1, the collector succeeded" \
	"1 1" "$(awk '$1 == "node_ipvs_connections_total" { print $2 }' "$L/metrics") $(metric "$L" node_scrape_collector_success 'collector="ipvs"')"
ktap_check "node_exporter: incoming packets counted" \
	awk '$1 == "node_ipvs_incoming_packets_total" && $2 > 0 { f = 1 } END { exit !f }' \
	"$L/metrics"

dmesg_check
ktap_finish
