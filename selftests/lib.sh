# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the ip_vs_lite selftests: TAP 13 output, network
# namespaces, the LVS/DR topology, client and server helpers, and the
# dmesg check. Sourced by every selftests/*.sh; runs as root, normally
# inside the test VM (selftests/vm/run.sh).
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

TEST_NAME=$(basename "$0" .sh)
LVS_WORK=
LVS_NS_LIST=()
LVS_BG_PIDS=()

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

# unload_retry CORE LIST: the modules LIST prints, then CORE. A netns a
# test deleted is dismantled later, from a workqueue, and only then do
# its services let go of their schedulers; on the debug kernel that
# takes seconds. So "in use" is retried for up to UNLOAD_WAIT seconds.
unload_retry()
{
	local core=$1 list=$2 m i

	for ((i = 0; i < ${UNLOAD_WAIT:-60} * 4; i++)); do
		for m in $($list); do
			rmmod "$m" 2>/dev/null
		done
		if [ -z "$($list)" ] &&
		   { ! mod_loaded "$core" || modprobe -r "$core" 2>/dev/null; }; then
			return 0
		fi
		sleep 0.25
	done
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

lvs_load()
{
	mod_loaded "$LVS_MOD" && return 0
	modprobe "$LVS_MOD"
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
	local pid

	for pid in "${LVS_BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	cleanup_ns "${LVS_NS_LIST[@]}"
	LVS_NS_LIST=()
	[ -n "$LVS_WORK" ] && rm -rf "$LVS_WORK"
	wait 2>/dev/null
}

lvs_workdir()
{
	[ -n "$LVS_WORK" ] || LVS_WORK=$(mktemp -d "/tmp/ipvl-$TEST_NAME.XXXXXX")
}

# --------------------------------------------------------- topology

# Plug netns NS into the segment's bridge with address ADDR on its eth0.
seg_attach()
{
	local ns=$1 addr=$2

	ip link add "p-$ns" netns br type veth peer name eth0 netns "$ns" ||
		return 1
	ip -n br link set "p-$ns" master br0 up
	ip -n "$ns" addr add "$addr/$NET_PREFIX" dev eth0
	ip -n "$ns" link set eth0 up
}

# A real server: accepts the VIP (held on lo) but never answers ARP for it.
rs_setup()
{
	local ns=$1 addr=$2

	setup_ns "$ns" && seg_attach "$ns" "$addr" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.eth0.arp_ignore=1 \
		net.ipv4.conf.eth0.arp_announce=2
	ip -n "$ns" addr add "$VIP/32" dev lo
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

	lvs_workdir
	dir=$LVS_WORK/$ns
	mkdir -p "$dir/www/cgi-bin"
	cat >"$dir/smtp" <<-EOF
	#!/bin/sh
	echo "220 $ns ESMTP ip_vs_lite selftest"
	exec cat >/dev/null
	EOF
	echo "$ns" >"$dir/www/index.html"
	cat >"$dir/www/cgi-bin/who" <<-EOF
	#!/bin/sh
	printf 'Content-Type: text/plain\r\n\r\n'
	echo "$ns \$REMOTE_ADDR"
	EOF
	chmod +x "$dir/smtp" "$dir/www/cgi-bin/who"
	lvs_bg ip netns exec "$ns" busybox nc -ll -p 25 -e "$dir/smtp"
	lvs_bg ip netns exec "$ns" busybox httpd -f -p 80 -h "$dir/www"
}

# wait_listen NS PORT: until a TCP listener is up, 20 s at most (a loaded
# host running several TCG guests is slow to start anything).
wait_listen()
{
	local ns=$1 port=$2 i

	for i in $(seq 200); do
		ip netns exec "$ns" ss -Hltn "sport = :$port" | grep -q . &&
			return 0
		sleep 0.1
	done
	echo "nothing listens on $ns:$port" >&2
	return 1
}

# lvs_topology [NRS]: bridge, client, director and NRS (1..3, default 2)
# real servers with their services running.
lvs_topology()
{
	local nrs=${1:-2} i ns
	local rips=("$RIP1" "$RIP2" "$RIP3")

	setup_ns br || return 1
	ip -n br link add br0 type bridge forward_delay 0 stp_state 0 ||
		return 1
	ip -n br link set br0 up
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

# http_get PATH: GET http://VIP/PATH from the client; prints the body.
http_get()
{
	ip netns exec cli curl -s -m 10 "http://$VIP/${1#/}"
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

# svc_config: the service and real server lines of "$ADM -ln", without
# the header and the counters, sorted: what the configuration is.
svc_config()
{
	adm -ln | awk '/^(TCP|UDP)/ { print $1, $2, $3, $4; next }
		       $1 == "->" { print "->", $2, $3, $4 }' | sort
}
