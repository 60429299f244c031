# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the ip_vs_lite selftests: TAP 13 output, network
# namespaces, the LVS/DR topology and the pieces other topologies are
# built from, client and server helpers, and the dmesg check. Sourced by
# every selftests/*.sh; runs as root, normally inside the test VM
# (selftests/vm/run.sh).
#
# Knobs (environment):
#   ADM           admin tool: lvsadm (default, tools/lvsadm/lvsadm), or a
#                 path, or ipvsadm to check the tests against kernel IPVS
#   LVS_MOD       core module: ip_vs_lite (default) or ip_vs
#   SCHED_PREFIX  scheduler module prefix (default: "${LVS_MOD}_")
#   VERBOSE       1: trace helper commands as TAP diagnostics
#
# The DR topology, all on one L2 segment 192.0.2.0/24:
#
#      cli                dir                 rs1       rs2       rs3
#  192.0.2.100        192.0.2.6           192.0.2.7 192.0.2.8 192.0.2.9
#       |          VIP 192.0.2.5 (eth0)    VIP on lo VIP on lo VIP on lo
#       |                 |                   |         |         |
#  =====+=================+=========br0=======+=========+=========+=====
#                              (netns br)
#
# The director answers ARP for the VIP; the real servers hold the VIP on
# lo with arp_ignore=1/arp_announce=2, so they accept packets for it but
# never claim it. Replies go from the real server straight to the client.

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LIB_DIR/.." && pwd)

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ADM=${ADM:-lvsadm}
LVS_MOD=${LVS_MOD:-ip_vs_lite}
SCHED_PREFIX=${SCHED_PREFIX:-${LVS_MOD}_}
VERBOSE=${VERBOSE:-0}

VIP=192.0.2.5
DIP=192.0.2.6
RIP1=192.0.2.7
RIP2=192.0.2.8
RIP3=192.0.2.9
CIP=192.0.2.100
NET_PREFIX=24

# Namespace that runs the admin tool; netns.sh points it elsewhere.
DIR_NS=dir

# Size of $LVS_WORK/blob, what peer.py and peer6.py move in the blob
# tests (blob_checks).
BLOB_SIZE=300000

TEST_NAME=$(basename "$0" .sh)
LVS_WORK=
LVS_NS_LIST=()
LVS_BG_PIDS=()
LVS_TMP_MODS=()

# ---------------------------------------------------------------- TAP

KTAP_PLANNED=0
KTAP_NUM=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_header()
{
	echo "TAP version 13"
}

ktap_plan()
{
	KTAP_PLANNED=$1
	echo "1..$1"
}

ktap_diag()
{
	local line

	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

# Print a command's saved output as diagnostics.
ktap_diag_file()
{
	local line

	[ -s "$1" ] || return 0
	while IFS= read -r line; do
		echo "#   $line"
	done <"$1"
}

ktap_ok()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NUM - $*"
}

ktap_fail()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_NUM - $*"
}

ktap_skip()
{
	local desc=$1 why=$2

	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NUM - $desc # SKIP $why"
}

# ktap_result DESC STATUS: ok when STATUS is 0.
ktap_result()
{
	if [ "$2" -eq 0 ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1"
	fi
}

# ktap_check DESC CMD...: one test point from a command's exit status;
# its output is shown only when it fails.
ktap_check()
{
	local desc=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	ktap_result "$desc" $rc
	[ $rc -ne 0 ] && [ -n "$out" ] && ktap_diag "$out"
	return $rc
}

# ktap_eq DESC EXPECTED ACTUAL
ktap_eq()
{
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1"
		ktap_diag "expected: $2"
		ktap_diag "got:      $3"
		return 1
	fi
}

# Skip the whole script: TAP's "1..0 # SKIP".
ktap_skip_all()
{
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

ktap_finish()
{
	local rc=$KSFT_PASS

	if [ "$KTAP_NUM" -ne "$KTAP_PLANNED" ]; then
		ktap_diag "planned $KTAP_PLANNED tests, ran $KTAP_NUM"
		rc=$KSFT_FAIL
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	if [ "$KTAP_FAIL" -gt 0 ]; then
		rc=$KSFT_FAIL
	elif [ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ]; then
		rc=$KSFT_SKIP
	fi
	exit $rc
}

vlog()
{
	[ "$VERBOSE" = 1 ] && ktap_diag "$*"
	return 0
}

# ------------------------------------------------------------ waiting

# wait_until [-i STEP] SECS CMD...: CMD, then again every STEP seconds
# (default 0.1), until it succeeds: 0 as soon as it does, 1 if it still
# fails once SECS (whole) seconds have passed. CMD runs in this shell, so
# a function can leave what it saw in a variable; its output is the
# caller's to redirect.
wait_until()
{
	local wait_step=0.1 wait_end

	if [ "$1" = -i ]; then
		wait_step=$2
		shift 2
	fi
	wait_end=$((${EPOCHREALTIME/[.,]/} + $1 * 1000000))
	shift
	until "$@"; do
		[ "${EPOCHREALTIME/[.,]/}" -lt "$wait_end" ] || return 1
		sleep "$wait_step"
	done
}

# files_written FILE...: true when no FILE is missing or empty.
files_written()
{
	local f

	for f in "$@"; do
		[ -s "$f" ] || return 1
	done
}

# -------------------------------------------------------------- dmesg

# The kernel must stay silent about bugs while a test runs: a marker in
# the log delimits what this test may be blamed for. Besides BUG and
# WARNING, the debug kernel's sanitizers and lockdep speak up in their
# own words (most of lockdep's reports also carry "WARNING:").
DMESG_MARK=
DMESG_BAD='(^|[^A-Za-z])BUG[: ]|WARNING:|Oops|general protection|refcount_t'
DMESG_BAD+='|UBSAN:|KASAN|possible circular locking'
DMESG_BAD+='|possible recursive locking|suspicious RCU usage'
DMESG_BAD+='|sleeping function called from invalid context'
DMESG_BAD+='|inconsistent lock state|bad unlock balance|held lock freed'
DMESG_BAD+='|lock held when returning|irq lock inversion'

dmesg_mark()
{
	DMESG_MARK="ipvl-selftest: $TEST_NAME start $$ $RANDOM"
	echo "$DMESG_MARK" >/dev/kmsg
}

# Print the log lines since the marker.
dmesg_since_mark()
{
	dmesg | awk -v m="$DMESG_MARK" 'found { print } index($0, m) { found = 1 }'
}

# dmesg_check [DESC]: one test point, failing on any kernel complaint.
dmesg_check()
{
	local desc=${1:-"no BUG/WARNING/Oops/refcount_t/sanitizer/lockdep report in dmesg"} bad

	bad=$(dmesg_since_mark | grep -E "$DMESG_BAD")
	if [ -z "$bad" ]; then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	ktap_diag "$(dmesg_since_mark | grep -E -A 20 "$DMESG_BAD" | head -n 60)"
	return 1
}

# ---------------------------------------------------- tools and modules

# The admin tool: a path, a tool built in this tree, or one on $PATH.
adm_resolve()
{
	case $ADM in
	*/*)
		case $ADM in
		/*) ADM_BIN=$ADM ;;
		*) ADM_BIN=$REPO_DIR/$ADM ;;
		esac
		;;
	*)
		if [ -x "$REPO_DIR/tools/$ADM/$ADM" ]; then
			ADM_BIN=$REPO_DIR/tools/$ADM/$ADM
		else
			ADM_BIN=$(command -v "$ADM")
		fi
		;;
	esac
	[ -n "$ADM_BIN" ] && [ -x "$ADM_BIN" ]
}

# Run the admin tool in the director's namespace.
adm()
{
	vlog "$ADM $*"
	ip netns exec "$DIR_NS" "$ADM_BIN" "$@"
}

# adm_batch "ARGS" ...: several admin commands, stopping at the first
# failure (each ARGS is split on blanks).
adm_batch()
{
	local a

	for a in "$@"; do
		# shellcheck disable=SC2086
		adm $a || { echo "failed: $ADM $a" >&2; return 1; }
	done
}

mod_loaded()
{
	[ -d "/sys/module/$1" ]
}

mod_available()
{
	modinfo "$1" >/dev/null 2>&1
}

sched_mod()
{
	echo "${SCHED_PREFIX}$1"
}

lvs_scheds()
{
	lsmod | awk -v p="$SCHED_PREFIX" 'index($1, p) == 1 { print $1 }'
}

ipvs_scheds()
{
	lsmod | awk '$1 ~ /^ip_vs_/ && $1 !~ /^ip_vs_lite/ { print $1 }'
}

# unload_once CORE LIST: one try at removing the modules LIST prints,
# then CORE; true once none of them is loaded.
unload_once()
{
	local core=$1 list=$2 m

	for m in $($list); do
		rmmod "$m" 2>/dev/null
	done
	[ -z "$($list)" ] &&
		{ ! mod_loaded "$core" || modprobe -r "$core" 2>/dev/null; }
}

# unload_retry CORE LIST: the modules LIST prints, then CORE. A netns a
# test deleted is dismantled later, from a workqueue, and only then do
# its services let go of their schedulers; on the debug kernel that
# takes seconds. So "in use" is retried for up to UNLOAD_WAIT seconds.
unload_retry()
{
	local core=$1 list=$2

	wait_until -i 0.25 "${UNLOAD_WAIT:-60}" unload_once "$core" "$list" &&
		return 0
	echo "still loaded after ${UNLOAD_WAIT:-60}s:" >&2
	lsmod | grep -E "^($core|$($list | paste -sd'|'))( |$)" >&2
	return 1
}

# The project's modules (LVS_MOD and its schedulers), all out.
lvs_unload()
{
	unload_retry "$LVS_MOD" lvs_scheds
}

# The kernel's IPVS and its schedulers, all out.
ipvs_unload()
{
	unload_retry ip_vs ipvs_scheds
}

# ipvs_load SCHED...: the kernel's IPVS and the named schedulers of it.
ipvs_load()
{
	local s

	modprobe ip_vs || return 1
	for s in "$@"; do
		modprobe "ip_vs_$s" || return 1
	done
}

# lvs-healthd, as built in the tree; a test that runs it in the
# background keeps its pid in HD_PID for healthd_cleanup.
HEALTHD=$REPO_DIR/tools/lvs-healthd/lvs-healthd

healthd_cleanup()
{
	[ -n "$HD_PID" ] && kill "$HD_PID" 2>/dev/null
	lvs_cleanup
}

healthd_require()
{
	[ -x "$HEALTHD" ] || ktap_skip_all "lvs-healthd not built"
}

# Skip the whole script unless this is root on a kernel that can run it.
lvs_require()
{
	[ "$(id -u)" = 0 ] || ktap_skip_all "must run as root"
	command -v ip >/dev/null || ktap_skip_all "iproute2 missing"
	busybox nc --help >/dev/null 2>&1 || ktap_skip_all "busybox nc missing"
	adm_resolve || ktap_skip_all "admin tool $ADM not found (not built?)"
	mod_loaded "$LVS_MOD" || mod_available "$LVS_MOD" ||
		ktap_skip_all "module $LVS_MOD not available for $(uname -r)"
	ip netns add "ipvl-probe-$$" 2>/dev/null ||
		ktap_skip_all "network namespaces not available"
	ip netns del "ipvl-probe-$$"
}

# cmd_require NAME...: skip the whole script unless every NAME is a
# command on $PATH.
cmd_require()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || ktap_skip_all "$c missing"
	done
}

# v6_require: skip the whole script unless python3, curl and an IPv6
# stack are there, as the IPv6 tests need.
v6_require()
{
	cmd_require python3 curl
	[ -e /proc/net/if_inet6 ] || ktap_skip_all "no IPv6 in this kernel"
}

# lvs_test_begin PLAN [CLEANUP [CHECK [ARG...]]]: how a test script
# opens. CLEANUP (default lvs_cleanup; it may be defined further down)
# runs on exit; "-" sets no trap, for a script that sets its own once it
# has something to clean up. After the TAP header, the whole script is
# skipped unless lvs_require and then CHECK with its ARGs (the script's
# own requirements, skipping with ktap_skip_all) are met; then the plan,
# and the dmesg marker from which the kernel's complaints are this
# test's.
lvs_test_begin()
{
	local plan=$1 cleanup=${2:-lvs_cleanup}

	shift $(($# < 2 ? $# : 2))
	# shellcheck disable=SC2064 # a function's name, expanded now
	[ "$cleanup" = - ] || trap "$cleanup" EXIT
	ktap_header
	lvs_require
	if [ $# -gt 0 ]; then
		"$@"
	fi
	ktap_plan "$plan"
	dmesg_mark
}

lvs_load()
{
	mod_loaded "$LVS_MOD" && return 0
	modprobe "$LVS_MOD"
}

# mod_load_tmp MODULE [PARAM...]: load MODULE, which must not be loaded
# yet, for this test only: lvs_cleanup removes it again.
mod_load_tmp()
{
	mod_loaded "$1" && return 1
	modprobe "$@" || return 1
	LVS_TMP_MODS+=("$1")
}

# sched_require NAME: load the core module; skip the whole script if it
# cannot be loaded or scheduler NAME has no module.
sched_require()
{
	lvs_load || ktap_skip_all "cannot load $LVS_MOD"
	mod_available "$(sched_mod "$1")" ||
		ktap_skip_all "no module $(sched_mod "$1")"
}

# ------------------------------------------------------------ netns

setup_ns()
{
	local ns

	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		LVS_NS_LIST+=("$ns")
		ip -n "$ns" link set lo up
	done
}

cleanup_ns()
{
	local ns pids

	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill $pids 2>/dev/null
	done
	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# Whatever outlives SIGTERM by 0.2 s is killed.
		# shellcheck disable=SC2086
		[ -n "$pids" ] && sleep 0.2 && kill -9 $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}

lvs_bg()
{
	"$@" &
	LVS_BG_PIDS+=($!)
}

lvs_cleanup()
{
	local pid m

	for pid in "${LVS_BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	cleanup_ns "${LVS_NS_LIST[@]}"
	LVS_NS_LIST=()
	[ -n "$LVS_WORK" ] && rm -rf "$LVS_WORK"
	wait 2>/dev/null
	for m in "${LVS_TMP_MODS[@]}"; do
		modprobe -r "$m" 2>/dev/null
	done
	LVS_TMP_MODS=()
}

lvs_workdir()
{
	[ -n "$LVS_WORK" ] || LVS_WORK=$(mktemp -d "/tmp/ipvl-$TEST_NAME.XXXXXX")
}

# --------------------------------------------------------- topology

# br_add BRIDGE...: bridges in netns br, up, with neither STP nor a
# forwarding delay to wait for.
br_add()
{
	local b

	for b in "$@"; do
		ip -n br link add "$b" type bridge forward_delay 0 stp_state 0 &&
			ip -n br link set "$b" up || return 1
	done
}

# br_port BRIDGE NS IFNAME ADDR/LEN [FLAG...]: a veth from BRIDGE (in
# netns br) to NS, named IFNAME there, up with address ADDR/LEN added
# with FLAGs (nodad, say). The bridge's end is p-NS, or p-NS-IFNAME for
# any IFNAME but eth0.
br_port()
{
	local br=$1 ns=$2 dev=$3 addr=$4 peer=p-$2

	shift 4
	[ "$dev" = eth0 ] || peer=p-$ns-$dev
	ip link add "$peer" netns br type veth peer name "$dev" netns "$ns" ||
		return 1
	ip -n br link set "$peer" master "$br" up
	ip -n "$ns" addr add "$addr" dev "$dev" "$@"
	ip -n "$ns" link set "$dev" up
}

# ns_link NS1 DEV1 ADDR1/LEN NS2 DEV2 ADDR2/LEN [FLAG...]: a veth pair,
# DEV1 in NS1 and DEV2 in NS2, both up with their addresses (added with
# FLAGs).
ns_link()
{
	local ns1=$1 dev1=$2 addr1=$3 ns2=$4 dev2=$5 addr2=$6

	shift 6
	ip link add "$dev1" netns "$ns1" type veth peer name "$dev2" \
		netns "$ns2" || return 1
	ip -n "$ns1" addr add "$addr1" dev "$dev1" "$@" &&
		ip -n "$ns1" link set "$dev1" up &&
		ip -n "$ns2" addr add "$addr2" dev "$dev2" "$@" &&
		ip -n "$ns2" link set "$dev2" up
}

# dummy_director DIR CLI: netns DIR, a director whose real servers sit
# behind a dummy eth0 (DIP and the VIP; what it sends them goes nowhere),
# and netns CLI, a client on a veth from 198.51.100.10 to DIR's
# 198.51.100.1.
dummy_director()
{
	local dir=$1 cli=$2

	setup_ns "$dir" "$cli" &&
		ip -n "$dir" link add eth0 type dummy &&
		ip -n "$dir" link set eth0 up &&
		ip -n "$dir" addr add "$DIP/$NET_PREFIX" dev eth0 &&
		ip -n "$dir" addr add "$VIP/32" dev eth0 &&
		ns_link "$cli" eth0 198.51.100.10/24 "$dir" eth1 198.51.100.1/24 &&
		ip -n "$cli" route add default via 198.51.100.1
}

# spoof_director: the director takes packets from spoofed sources,
# which have no route back; selftests/synflood.c is built into
# $LVS_WORK, and DIRMAC is the director's eth0 address for it.
spoof_director()
{
	ip netns exec "$DIR_NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.eth0.rp_filter=0
	"${CC:-cc}" -O2 -o "$LVS_WORK/synflood" "$LIB_DIR/synflood.c" \
		2>"$LVS_WORK/cc.log" || return 1
	DIRMAC=$(ip -n "$DIR_NS" -br link show eth0 | awk '{ print $3 }')
}

# conn_entries: the director's connection entries, as --info counts them.
conn_entries()
{
	adm --info | awk '/^ *connections:/ { print $NF; exit }'
}

# entries_settled: true once the count is what it was at the last call;
# for wait_until -i 1, after resetting ENTRIES_LAST.
entries_settled()
{
	local n

	n=$(conn_entries)
	[ "$n" = "$ENTRIES_LAST" ] && return 0
	ENTRIES_LAST=$n
	return 1
}

# rs_other NAME: of the two real servers rs1 and rs2, the one not NAME.
rs_other()
{
	[ "$1" = rs1 ] && echo rs2 || echo rs1
}

# rs_rip NAME: the address of real server rs1 or rs2.
rs_rip()
{
	[ "$1" = rs1 ] && echo "$RIP1" || echo "$RIP2"
}

# Plug netns NS into the segment's bridge with address ADDR on its eth0.
seg_attach()
{
	br_port br0 "$1" eth0 "$2/$NET_PREFIX"
}

# rs_vip NS: NS accepts the VIP (held on lo) but never answers ARP for it
# on its eth0.
rs_vip()
{
	ip netns exec "$1" sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.eth0.arp_ignore=1 \
		net.ipv4.conf.eth0.arp_announce=2
	ip -n "$1" addr add "$VIP/32" dev lo
}

# A real server on the segment, address ADDR, holding the VIP (rs_vip).
rs_setup()
{
	local ns=$1 addr=$2

	setup_ns "$ns" && seg_attach "$ns" "$addr" || return 1
	rs_vip "$ns"
}

# A director in netns NS (own address ADDR, VIP on eth0).
dir_setup()
{
	local ns=$1 addr=$2

	setup_ns "$ns" && seg_attach "$ns" "$addr" || return 1
	ip -n "$ns" addr add "$VIP/32" dev eth0
}

# Services a real server runs, naming itself in every answer:
#  - port 25: an SMTP-like banner "220 <name> ESMTP"; the connection stays
#    open until the client closes its side, so a client can hold it;
#  - port 80: busybox httpd with /index.html ("<name>") and
#    /cgi-bin/who ("<name> <client address as seen by the server>").
rs_servers()
{
	local ns=$1 dir

	rs_www "$ns"
	dir=$LVS_WORK/$ns
	cat >"$dir/smtp" <<-EOF
	#!/bin/sh
	echo "220 $ns ESMTP ip_vs_lite selftest"
	exec cat >/dev/null 2>&1
	EOF
	chmod +x "$dir/smtp"
	lvs_bg ip netns exec "$ns" busybox nc -ll -p 25 -e "$dir/smtp"
	lvs_bg ip netns exec "$ns" busybox httpd -f -p 80 -h "$dir/www"
}

# rs_www NS: the pages of NS's web server, in $LVS_WORK/NS/www:
# /index.html ("NS") and /cgi-bin/who ("NS <client address>").
rs_www()
{
	local ns=$1 www

	lvs_workdir
	www=$LVS_WORK/$ns/www
	mkdir -p "$www/cgi-bin"
	echo "$ns" >"$www/index.html"
	cat >"$www/cgi-bin/who" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\r\n\r\n'
	echo "$ns \$REMOTE_ADDR"
	EOF
	chmod +x "$www/cgi-bin/who"
}

# sock_listed NS SS-OPTS PORT: "ss SS-OPTS" in NS lists a socket on PORT.
sock_listed()
{
	ip netns exec "$1" ss "$2" "sport = :$3" | grep -q .
}

# wait_sock NS SS-OPTS PORT SECS: until "ss SS-OPTS" in NS lists a socket
# on PORT, SECS seconds at most.
wait_sock()
{
	wait_until "$4" sock_listed "$1" "$2" "$3"
}

# wait_listen NS PORT: until a TCP listener is up, 20 s at most (a loaded
# host running several TCG guests is slow to start anything).
wait_listen()
{
	wait_sock "$1" -Hltn "$2" 20 && return 0
	echo "nothing listens on $1:$2" >&2
	return 1
}

# wait_udp NS PORT: until a UDP socket (IPv4 or IPv6) is bound to PORT,
# 20 s at most: a Python server takes seconds to start on a loaded host
# running several TCG guests.
wait_udp()
{
	wait_sock "$1" -Hlun "$2" 20 && return 0
	echo "nothing listens on udp $1:$2" >&2
	return 1
}

# lvs_topology [NRS]: bridge, client, director and NRS (1..3, default 2)
# real servers with their services running.
lvs_topology()
{
	local nrs=${1:-2} i ns
	local rips=("$RIP1" "$RIP2" "$RIP3")

	setup_ns br && br_add br0 || return 1
	setup_ns cli && seg_attach cli "$CIP" || return 1
	dir_setup "$DIR_NS" "$DIP" || return 1
	for i in $(seq "$nrs"); do
		ns=rs$i
		rs_setup "$ns" "${rips[$((i - 1))]}" || return 1
		rs_servers "$ns"
	done
	for i in $(seq "$nrs"); do
		wait_listen "rs$i" 25 && wait_listen "rs$i" 80 || return 1
	done
}

# tx_csum on|off NS IFNAME...: transmit checksum offload of devices.
tx_csum()
{
	local want=$1 ns=$2

	shift 2
	# -S: no site module, whose path scans are slow on the VM's 9p root.
	ip netns exec "$ns" python3 -S "$LIB_DIR/peer.py" tx-csum "$want" \
		"$@" >/dev/null
}

# ------------------------------------------------------------ clients

# smtp_who [PORT]: connect from the client to VIP:PORT (default 25) and
# print the name in the banner, or "none".
smtp_who()
{
	local port=${1:-25} who

	who=$(ip netns exec cli timeout 10 busybox nc -w 3 "$VIP" "$port" \
	      </dev/null 2>/dev/null | awk 'NR == 1 { print $2 }')
	echo "${who:-none}"
}

# smtp_seq N [PORT]: N connections in a row, from one shell in the
# client's namespace (a netns exec per connection is slow under TCG);
# the names, space separated.
smtp_seq()
{
	local n=$1 port=${2:-25}

	ip netns exec cli sh -c '
		i=0
		while [ $i -lt $1 ]; do
			w=$(timeout 10 busybox nc -w 3 "$2" "$3" </dev/null 2>/dev/null |
			    awk "NR == 1 { print \$2 }")
			printf "%s " "${w:-none}"
			i=$((i + 1))
		done' sh "$n" "$VIP" "$port" | sed 's/ $//'
}

# smtp_hold SECS OUTFILE [PORT]: a connection held open for SECS seconds
# in the background; its banner goes to OUTFILE.
smtp_hold()
{
	local secs=$1 out=$2 port=${3:-25}

	lvs_bg ip netns exec cli sh -c \
		"sleep $secs | timeout $((secs + 5)) busybox nc $VIP $port >$out 2>&1"
}

# banner_in FILE: true once the SMTP banner of a held connection in FILE
# names a server, which goes to BANNER.
banner_in()
{
	BANNER=$(awk 'NR == 1 { print $2 }' "$1" 2>/dev/null)
	[ -n "$BANNER" ]
}

# banner_of FILE: the server named by the SMTP banner a held connection
# writes to FILE, once it is there; "none" after 15 s. The director has
# seen the handshake complete once the banner is here.
banner_of()
{
	BANNER=
	wait_until 15 banner_in "$1"
	echo "${BANNER:-none}"
}

# hold_next N: connection number N to VIP:25, held open for 120 s in the
# background; sets HELD to the server whose banner came back (banner_of).
hold_next()
{
	smtp_hold 120 "$LVS_WORK/hold.$1"
	# shellcheck disable=SC2034 # the caller's
	HELD=$(banner_of "$LVS_WORK/hold.$1")
}

# http_get PATH: GET http://VIP/PATH from the client; prints the body.
http_get()
{
	ip netns exec cli curl -s -m 10 "http://$VIP/${1#/}"
}

# http_seq N PATH: N GETs of http://VIP/PATH from one shell in the
# client's namespace; the bodies, "none" for each GET that failed.
http_seq()
{
	# shellcheck disable=SC2016
	ip netns exec cli sh -c '
		i=0
		while [ $i -lt $1 ]; do
			curl -s -m 5 "http://$2/$3" || echo none
			i=$((i + 1))
		done' sh "$1" "$VIP" "${2#/}"
}

# curl_times N URL: URL fetched N times by one curl in the client's
# namespace (-g: brackets around an IPv6 address are no glob); the
# bodies.
curl_times()
{
	local urls=() i

	for i in $(seq "$1"); do
		urls+=("$2")
	done
	ip netns exec cli curl -g -s -m 5 "${urls[@]}"
}

# v4: busybox httpd listens on IPv6 and names IPv4 clients
# "[::ffff:a.b.c.d]"; the plain address, one per line.
v4()
{
	sed 's/^\[::ffff:\(.*\)\]$/\1/'
}

# alternates WORDS...: true when two names alternate, each used evenly.
alternates()
{
	local i a b

	[ $# -ge 2 ] && [ $(($# % 2)) = 0 ] || return 1
	a=$1 b=$2
	[ "$a" != "$b" ] || return 1
	for ((i = 1; i <= $#; i++)); do
		if ((i % 2)); then
			[ "${!i}" = "$a" ] || return 1
		else
			[ "${!i}" = "$b" ] || return 1
		fi
	done
}

# count WORD LIST...: how many times WORD appears in LIST.
count()
{
	local w=$1 n=0 x

	shift
	for x in "$@"; do
		[ "$x" = "$w" ] && n=$((n + 1))
	done
	echo $n
}

# has_lines FILE LINE...: every LINE is in FILE exactly once; else the
# first missing LINE and FILE on stdout.
has_lines()
{
	local f=$1 l

	shift
	for l in "$@"; do
		[ "$(grep -Fxc -- "$l" "$f")" = 1 ] || {
			echo "missing: '$l'"
			cat "$f"
			return 1
		}
	done
}

# meminfo_kb FIELD: a /proc/meminfo figure, in kB.
meminfo_kb()
{
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# slab_settled: unreclaimable slab in kB, once the caches are dropped
# and the RCU callbacks queued by what went before have had time to run.
slab_settled()
{
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	echo 3 >/proc/sys/vm/drop_caches
	meminfo_kb SUnreclaim
}

# name_counts: the words on stdin, one a line, counted: "WORD=N ...", in
# version order (rs2 before rs10).
name_counts()
{
	sort -V | uniq -c | awk '{ print $2 "=" $1 }' | xargs
}

# ------------------------------------------------ many client sources

# cli_srcs N: N more addresses for the client, 192.0.2.101 and up, in
# the array SRCS that the helpers below default to.
cli_srcs()
{
	local i

	SRCS=()
	for i in $(seq "$1"); do
		SRCS+=("192.0.2.$((100 + i))")
	done
	printf 'addr add %s/24 dev eth0\n' "${SRCS[@]}" | ip -n cli -batch -
}

# curl_who CURL-ARG...: one curl in the client's namespace fetching pages
# that name their server, its -w printing an address after each; one
# "ADDRESS SERVER" line per page, SERVER "none" for one that failed.
curl_who()
{
	ip netns exec cli curl "$@" |
		awk '/^rs[0-9]+$/ { rs = $1; next }
		     { print $1, rs ? rs : "none"; rs = "" }'
}

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
	curl_who "${args[@]}"
}

# map_lines N KEY...: from "KEY SERVER" lines on stdin, one line per KEY
# in the order given: "KEY SERVERS", SERVERS the distinct servers it
# reached, or "KEY answers=COUNT" if fewer than N of its lines name one.
map_lines()
{
	local n=$1

	shift
	awk -v n="$n" -v keys="$*" '
		$2 != "none" {
			got[$1]++
			if (!seen[$1 " " $2]++) list[$1] = list[$1] " " $2
		}
		END {
			k = split(keys, key, " ")
			for (i = 1; i <= k; i++)
				if (got[key[i]] == n) print key[i] list[key[i]]
				else print key[i], "answers=" got[key[i]] + 0
		}'
}

# map_round N OUT: N connections from every address of SRCS; OUT gets
# one line per source, in the order of SRCS, as map_lines prints them.
map_round()
{
	who_round "$1" | map_lines "$1" "${SRCS[@]}" >"$2"
}

# not_sticky MAP: the lines of a map_lines file whose key reached more or
# fewer than one server; empty if none.
not_sticky()
{
	awk 'NF != 2 || $2 ~ /=/' "$1"
}

# src_servers N SRC: how many servers answered N connections from SRC,
# or "failed" if any went unanswered.
src_servers()
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

# port_hash_checks SCHED SVC: TCP service SVC has scheduler SCHED with
# its "-b SCHED-port" flag: listed so, 20 connections from the first of
# SRCS spread over several servers; an -E without -b clears the flag and
# they stick to one again. Four test points.
port_hash_checks()
{
	local sched=$1 svc=$2 n

	ktap_eq "listed as $sched ($sched-port)" "TCP $svc $sched ($sched-port)" \
		"$(adm -ln | awk '/^TCP/ { $1 = $1; print }')"
	n=$(src_servers 20 "${SRCS[0]}")
	[ "$n" != failed ] && [ "$n" -ge 2 ]
	ktap_result "$sched-port: 20 connections from ${SRCS[0]} reach $n servers" $?
	ktap_check "-E -s $sched without -b: the flag is cleared" \
		adm -E -t "$svc" -s "$sched"
	ktap_eq "without $sched-port: 20 connections from ${SRCS[0]} reach one server" \
		1 "$(src_servers 20 "${SRCS[0]}")"
}

# ------------------------------------------------------------- blobs

# blob_want: what blob-get and blob-put of peer.py and peer6.py print
# once $LVS_WORK/blob, of BLOB_SIZE bytes, has crossed intact.
blob_want()
{
	echo "$(md5sum <"$LVS_WORK/blob" | awk '{ print $1 }') $BLOB_SIZE"
}

# blob_checks TAG VIP PEER [ARG...]: 300 kB ($LVS_WORK/blob) down from
# VIP:81 and up to it, by PEER (peer.py or peer6.py) in the client's
# namespace, ARGs passed on; two test points.
blob_checks()
{
	local tag=$1 vip=$2 peer=$LIB_DIR/$3 want got

	shift 3
	want=$(blob_want)
	got=$(ip netns exec cli python3 -S "$peer" blob-get "$vip" 81 "$@" 2>&1)
	ktap_eq "$tag: 300 kB download intact (md5)" "$want" "$got"
	got=$(ip netns exec cli python3 -S "$peer" blob-put "$vip" 81 \
	      "$LVS_WORK/blob" "$@" 2>&1)
	ktap_eq "$tag: 300 kB upload intact (md5)" "$want" "$got"
}

# nat_blobs VIP PEER: blob_checks through a NAT service, with transmit
# checksum offload on, then off at the senders (cli and rs1); four test
# points. veth offloads by default: the senders' packets carry
# CHECKSUM_PARTIAL, which the receiving veth trusts as they are; full
# checksums from the senders are what NAT must update for the new
# addresses and ports.
nat_blobs()
{
	blob_checks "offload on" "$@"
	if tx_csum off cli eth0 && tx_csum off rs1 eth0; then
		blob_checks "offload off at the senders" "$@"
	else
		ktap_skip "offload off at the senders: download" "cannot switch tx checksumming"
		ktap_skip "offload off at the senders: upload" "cannot switch tx checksumming"
	fi
	tx_csum on cli eth0
	tx_csum on rs1 eth0
}

# rs_errlogged: true once the udp-serve of rs1 or rs2 has logged a
# socket error.
rs_errlogged()
{
	cat "$LVS_WORK"/errlog.rs[12] 2>/dev/null | grep -q .
}

# rs_errlog SECS: the socket errors that the udp-serve of rs1 or rs2
# logged ($LVS_WORK/errlog.rs1, .rs2), "ERROR ADDRESS" without the port,
# once there is one (SECS seconds at most).
rs_errlog()
{
	wait_until "$1" rs_errlogged
	cat "$LVS_WORK"/errlog.rs[12] 2>/dev/null | sed 's/:[0-9]*$//' |
		sort -u | xargs
}

# ------------------------------------------------ admin tool output

# dest_field SVC RS FIELD: from "$ADM -ln", field FIELD (weight, active,
# inactive, forward) of real server RS ("addr:port") in service SVC
# ("TCP 192.0.2.5:25"). Prints nothing when absent.
dest_field()
{
	local svc=$1 rs=$2 field=$3

	adm -ln | awk -v svc="$svc" -v rs="$rs" -v f="$field" '
		/^(TCP|UDP)/ { cur = $1 " " $2; next }
		$1 == "->" && cur == svc && $2 == rs {
			if (f == "forward") print $3
			else if (f == "weight") print $4
			else if (f == "active") print $5
			else if (f == "inactive") print $6
		}'
}

# stat_field SVC RS FIELD: a counter from "$ADM -ln --stats --exact":
# conns, inpkts, outpkts, inbytes or outbytes of real server RS of
# service SVC ("TCP 192.0.2.5:80"), or of the service itself if RS
# is "-".
stat_field()
{
	adm -ln --stats --exact | awk -v svc="$1" -v rs="$2" -v f="$3" '
		BEGIN {
			n = split("conns inpkts outpkts inbytes outbytes", k)
			for (i = 1; i <= n; i++)
				col[k[i]] = i + 2
		}
		/^(TCP|UDP)/ {
			cur = $1 " " $2
			if (cur == svc && rs == "-")
				print $col[f]
			next
		}
		$1 == "->" && cur == svc && $2 == rs { print $col[f] }'
}

# svc_config: the service and real server lines of "$ADM -ln", without
# the header and the counters, sorted: what the configuration is.
svc_config()
{
	adm -ln | awk '/^(TCP|UDP)/ { print $1, $2, $3, $4; next }
		       $1 == "->" { print "->", $2, $3, $4 }' | sort
}
