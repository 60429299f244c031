#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LVS/DR walk-through over IPv6, on a dual-stack segment: an rr
# service on [VIP]:25 and a wlc service on [VIP]:80 with two real
# servers that hold the VIP on lo. Checked with real traffic: rr
# alternates, HTTP reaches both servers, which see the client's
# address; UDP datagrams that are fragmented or carry a destination
# options header get through whole; only the director answers neighbour
# solicitations for the VIP. The listings, -S/-R and --json must show
# bracketed addresses as ipvsadm does; an IPv6 firewall-mark service
# and IPv4 services work side by side with the IPv6 ones; the sh
# scheduler hashes the whole client address, persistence groups clients
# by a /64 prefix; bad IPv6 input is refused.
#
#      cli                 dir                  rs1             rs2
#  192.0.2.100          192.0.2.6            192.0.2.7       192.0.2.8
#  2001:db8::100        2001:db8::6          2001:db8::7     2001:db8::8
#       |          VIP 192.0.2.5, 2001:db8::5  VIP on lo       VIP on lo
#       |                  (eth0)                |               |
#  =====+===================+=========br0========+===============+=====
#
#  cli -> [VIP]:25|80 (TCP), [VIP]:53 (UDP) -> dir (-g) -> rs1 | rs2
#  rs1 | rs2 -> cli directly, from the VIP

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8::5
DIP6=2001:db8::6
RIP6_1=2001:db8::7
RIP6_2=2001:db8::8
CIP6=2001:db8::100
SVC25="[$VIP6]:25"
SVC80="[$VIP6]:80"
SVC53="[$VIP6]:53"
PEER6=$LIB_DIR/peer6.py
FWMARK=7

lvs_test_begin 37 lvs_cleanup v6_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# The IPv4 DR segment of lib.sh, plus the IPv6 addresses, nodad so that
# they are usable at once rather than after duplicate address detection.
v6_topology()
{
	local ns rip

	lvs_topology 2 || return 1
	ip -n cli addr add "$CIP6/64" dev eth0 nodad &&
		ip -n "$DIR_NS" addr add "$DIP6/64" dev eth0 nodad &&
		ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad || return 1
	for ns in rs1 rs2; do
		rip=$RIP6_1
		[ $ns = rs2 ] && rip=$RIP6_2
		ip -n $ns addr add "$rip/64" dev eth0 nodad &&
			ip -n $ns addr add "$VIP6/128" dev lo nodad || return 1
		lvs_bg ip netns exec $ns python3 "$PEER6" udp-serve $ns 53 "$VIP6"
	done
	wait_udp rs1 53 && wait_udp rs2 53
}

lvs_workdir
v6_topology || { ktap_fail "topology"; ktap_finish; }

# ------------------------------------------------------------ helpers

# smtp6_seq N [PORT]: N connections in a row to [VIP]:PORT; the names.
smtp6_seq()
{
	VIP=$VIP6 smtp_seq "$@"
}

# A real server line of "-l" as ipvsadm prints it.
dest_line()
{
	printf '  -> %-28s %-7s %-6s %-10s %-10s' "$1" "$2" "$3" "$4" "$5"
}

mac_of()
{
	ip -n "$1" link show "$2" | awk '$1 == "link/ether" { print $2 }'
}

# --------------------------------------------------------- rr, port 25

ktap_check "add service TCP $SVC25 rr, real servers $RIP6_1 and [$RIP6_2]:25 -g" \
	adm_batch "-A -t $SVC25 -s rr" "-a -t $SVC25 -r $RIP6_1 -g" \
	"-a -t $SVC25 -r [$RIP6_2]:25 -g"

seq4=$(smtp6_seq 4)
# shellcheck disable=SC2086
alternates $seq4
ktap_result "rr: 4 connections to $SVC25 alternate rs1/rs2 ($seq4)" $?

# The client resolved the VIP to the director; the real servers hold it
# on lo, and Linux answers solicitations only for addresses of the
# interface they arrive on, so no arp_ignore counterpart is needed.
got=$(ip -n cli -6 neigh show "$VIP6" dev eth0 |
      awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
ktap_eq "the client's neighbour entry for $VIP6 is the director's MAC" \
	"$(mac_of "$DIR_NS" eth0)" "$got"

# ---- listings, as ipvsadm prints them
adm -ln >"$LVS_WORK/ln" 2>&1
adm -l >"$LVS_WORK/l" 2>&1
ktap_check "-ln: TCP  $SVC25 rr, both real servers Route 1 0 2" \
	has_lines "$LVS_WORK/ln" "TCP  $SVC25 rr" \
	"$(dest_line "[$RIP6_1]:25" Route 1 0 2)" \
	"$(dest_line "[$RIP6_2]:25" Route 1 0 2)"
ktap_check "-l: TCP  [$VIP6]:smtp rr, both real servers on smtp" \
	has_lines "$LVS_WORK/l" "TCP  [$VIP6]:smtp rr" \
	"$(dest_line "[$RIP6_1]:smtp" Route 1 0 2)" \
	"$(dest_line "[$RIP6_2]:smtp" Route 1 0 2)"

# ------------------------------------------------------- wlc, port 80

ktap_check "add service TCP $SVC80 wlc and two real servers" \
	adm_batch "-A -t $SVC80 -s wlc" "-a -t $SVC80 -r $RIP6_1 -g" \
	"-a -t $SVC80 -r $RIP6_2 -g"

# One curl for all four: busybox httpd closes every connection.
out=$(curl_times 4 "http://[$VIP6]/cgi-bin/who")
names=$(awk 'NF { print $1 }' <<<"$out" | name_counts)
ktap_eq "wlc: 4 GETs reach rs1 and rs2 twice each" "rs1=2 rs2=2" "$names"
ktap_eq "the real servers see the client's address" "[$CIP6]" \
	"$(awk 'NF { print $2 }' <<<"$out" | sort -u | xargs)"
ktap_eq "wlc counters: ActiveConn 0 InActConn 2 on each" \
	"[$RIP6_1]:80 0 2 [$RIP6_2]:80 0 2" \
	"$(adm -ln | awk -v svc="$SVC80" '
		/^(TCP|UDP)/ { cur = $2; next }
		$1 == "->" && cur == svc { print $2, $5, $6 }' | sort | xargs)"

# ---------------------------------------- UDP, fragments, ext headers

# The servers bind the VIP, so that their answers leave from it.
ktap_check "add service UDP $SVC53 rr and two real servers" \
	adm_batch "-A -u $SVC53 -s rr" "-a -u $SVC53 -r [$RIP6_1]:53 -g" \
	"-a -u $SVC53 -r [$RIP6_2]:53 -g"

# udp_check DESC SIZE [dstopts|hopopts]: 4 datagrams; they must
# alternate, arrive whole from the client, and be answered from the VIP.
udp_check()
{
	local desc=$1 size=$2 out names rest rc

	shift 2
	out=$(ip netns exec cli python3 "$PEER6" udp-ask "$VIP6" 53 4 \
	      "$size" "$@" 2>&1)
	names=$(awk '{ print $1 }' <<<"$out" | xargs)
	rest=$(awk '{ print $2, $3, $4 }' <<<"$out" | sort -u | xargs)
	# shellcheck disable=SC2086
	alternates $names && [ "$rest" = "$CIP6 $size [$VIP6]:53" ]
	rc=$?
	ktap_result "$desc" $rc
	[ $rc = 0 ] || ktap_diag "answers: $(xargs <<<"$out")"
}

udp_check "UDP: 4 datagrams alternate, arrive whole, answered from [$VIP6]:53" 64
udp_check "UDP: datagrams with a destination options header get through" \
	64 dstopts
# Fragmented by the client: the director reassembles each datagram to
# schedule it, and fragments it again on output. The hop-by-hop header
# sits in front of the fragment header, in every fragment.
udp_check "UDP: 4000-byte datagrams with a hop-by-hop header (3 fragments each) arrive whole" \
	4000 hopopts

# ------------------------------------------------ IPv4 alongside IPv6

ktap_check "add IPv4 service TCP $VIP:25 rr with $RIP1 and $RIP2" \
	adm_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
	"-a -t $VIP:25 -r $RIP2 -g"
seq4=$(smtp_seq 2)
seq6=$(smtp6_seq 2)
# shellcheck disable=SC2086
alternates $seq4 && alternates $seq6
ktap_result "mixed table: IPv4 $VIP:25 ($seq4) and IPv6 $SVC25 ($seq6) both alternate" $?
refused()
{
	! adm "$@"
}
ktap_check "an IPv6 real server on the IPv4 service is refused" \
	refused -a -t "$VIP:25" -r "$RIP6_1" -g

# ------------------------------------------- IPv6 firewall-mark service

if command -v nft >/dev/null; then
	ip netns exec "$DIR_NS" nft -f - <<-EOF
	table ip6 ipvl_test6 {
		chain pre {
			type filter hook prerouting priority mangle; policy accept;
			ip6 daddr $VIP6 tcp dport 2525 meta mark set $FWMARK
		}
	}
	EOF
	ktap_check "add service -f $FWMARK -6 rr and two real servers" \
		adm_batch "-A -f $FWMARK -6 -s rr" \
		"-a -f $FWMARK -6 -r $RIP6_1 -g" \
		"-a -f $FWMARK -6 -r $RIP6_2 -g"
	# DR keeps the port: the real servers must listen on 2525 too.
	for ns in rs1 rs2; do
		lvs_bg ip netns exec $ns busybox nc -ll -p 2525 \
			-e "$LVS_WORK/$ns/smtp"
	done
	wait_listen rs1 2525 && wait_listen rs2 2525
	seq=$(smtp6_seq 2 2525)
	# shellcheck disable=SC2086
	alternates $seq
	ktap_result "marked [$VIP6]:2525 traffic alternates rs1/rs2 ($seq)" $?
	ktap_eq "-ln shows FWM  $FWMARK IPv6 rr" "FWM  $FWMARK IPv6 rr" \
		"$(adm -ln | grep '^FWM')"
else
	ktap_skip "add service -f $FWMARK -6" "nft missing"
	ktap_skip "marked traffic" "nft missing"
	ktap_skip "-ln shows FWM IPv6" "nft missing"
fi

# ---------------------------------------------------- -S, -R, --json

saved=("-A -t $SVC25 -s rr" "-a -t $SVC25 -r [$RIP6_1]:25 -g -w 1"
	"-a -t $SVC25 -r [$RIP6_2]:25 -g -w 1" "-A -t $SVC80 -s wlc"
	"-a -t $SVC80 -r [$RIP6_1]:80 -g -w 1" "-A -u $SVC53 -s rr"
	"-a -u $SVC53 -r [$RIP6_2]:53 -g -w 1" "-A -t $VIP:25 -s rr"
	"-a -t $VIP:25 -r $RIP1:25 -g -w 1")
command -v nft >/dev/null &&
	saved+=("-A -f $FWMARK -6 -s rr" "-a -f $FWMARK -6 -r [$RIP6_1]:0 -g -w 1")
adm -S -n >"$LVS_WORK/saved" 2>&1
ktap_check "-S -n: bracketed IPv6 addresses, -f $FWMARK -6, IPv4 as before" \
	has_lines "$LVS_WORK/saved" "${saved[@]}"

adm -C
adm -R <"$LVS_WORK/saved" >"$LVS_WORK/restore.out" 2>&1
rc=$?
adm -S -n >"$LVS_WORK/restored" 2>&1
[ $rc = 0 ] && cmp -s "$LVS_WORK/saved" "$LVS_WORK/restored"
rc=$?
ktap_result "-C, then -R of the saved rules gives back the same -S -n" $rc
[ $rc = 0 ] || ktap_diag "$(cat "$LVS_WORK/restore.out"
	diff "$LVS_WORK/saved" "$LVS_WORK/restored")"
seq=$(smtp6_seq 2)
# shellcheck disable=SC2086
alternates $seq
ktap_result "after -R: $SVC25 reaches rs1 and rs2 ($seq)" $?

# The JSON listing names the address family and gives bare addresses.
json_check()
{
	adm -ln --json | python3 -c '
import json, sys
vip, rips = sys.argv[1], sorted(sys.argv[2:])
svcs = [s for s in json.load(sys.stdin)
	if s.get("address") == vip and s.get("port") == 80]
assert len(svcs) == 1, "want one service %s port 80: %r" % (vip, svcs)
s = svcs[0]
assert (s["address_family"], s["protocol"], s["scheduler"]) == \
	("inet6", "tcp", "wlc"), s
got = sorted(d["address"] for d in s["real_servers"]
	     if d["address_family"] == "inet6" and d["port"] == 80 and
	     d["forward"] == "route")
assert got == rips, got
' "$VIP6" "$RIP6_1" "$RIP6_2"
}
if adm -ln --json >/dev/null 2>&1; then
	ktap_check "--json: $SVC80 as inet6 tcp wlc with both real servers" \
		json_check
else
	ktap_skip "--json listing" "$ADM has no --json"
fi

# -------------------------------------------------------------- sh

# Client sources in the client's /64: one group differs only in bits
# 64..79, one only in the last 16 bits. A hash of the first 64 bits, or
# of the last 32 only, would send a whole group to one server.
GROUP_A=()
GROUP_B=()
for i in $(seq 8); do
	GROUP_A+=("2001:db8::$i:0:0:100")
	GROUP_B+=("2001:db8::100:$i")
done
printf 'addr add %s/64 dev eth0 nodad\n' "${GROUP_A[@]}" "${GROUP_B[@]}" |
	ip -n cli -batch -

ktap_check "edit $SVC53 to sh" adm -E -u "$SVC53" -s sh
# Three datagrams from every source, each a new flow: one line per
# source, "SRC SERVERS", SERVERS the distinct servers that answered;
# a source that lost an answer, or was seen under another address,
# shows up with a third field.
ip netns exec cli python3 "$PEER6" udp-sources "$VIP6" 53 3 \
	"${GROUP_A[@]}" "${GROUP_B[@]}" |
	awk '{ key = $1 " " $2; if ($3 != $1) bad[$1] = 1
	       if (!(key in seen)) { seen[key] = 1; list[$1] = list[$1] " " $2 }
	       n[$1]++ }
	     END { for (s in n) print s list[s], (n[s] != 3 || bad[s]) ? "lost" : "" }' |
	sort >"$LVS_WORK/map"
ktap_eq "sh: 16 sources x 3 flows, each source always on one server, seen as itself" \
	"" "$(awk 'NF != 2' "$LVS_WORK/map")"
spread()
{
	grep -F -e "$(printf '%s \n' "$@")" "$LVS_WORK/map" | awk '{ print $2 }' |
		name_counts
}
a=$(spread "${GROUP_A[@]}")
b=$(spread "${GROUP_B[@]}")
[ "$(wc -w <<<"$a")" = 2 ] && [ "$(wc -w <<<"$b")" = 2 ]
ktap_result "sh: both groups spread over both servers (bits 64..79: $a; last 16 bits: $b)" $?

# ---- every scheduler forwards IPv6 flows

# One datagram from each of the 16 sources per scheduler: each must be
# answered by a real server that saw the source as itself.
bad=
for s in rr wrr lc wlc lblc lblcr dh sh sed nq mh; do
	adm -E -u "$SVC53" -s "$s" || { bad+=" $s(edit)"; continue; }
	n=$(ip netns exec cli python3 "$PEER6" udp-sources "$VIP6" 53 1 \
		"${GROUP_A[@]}" "${GROUP_B[@]}" |
		awk '$1 == $3 && $2 ~ /^rs[12]$/' | wc -l)
	[ "$n" = 16 ] || bad+=" $s($n/16)"
done
ktap_eq "every scheduler answers 16 IPv6 sources on $SVC53" "" "$bad"
adm -E -u "$SVC53" -s sh

# ---- persistence by client network: the whole /64 on one server
ktap_check "edit $SVC53 to rr -p 60 -M 64" \
	adm -E -u "$SVC53" -s rr -p 60 -M 64
ktap_eq "-ln: UDP  $SVC53 rr persistent 60 mask 64" \
	"UDP  $SVC53 rr persistent 60 mask 64" "$(adm -ln | grep '^UDP')"
got=$(ip netns exec cli python3 "$PEER6" udp-sources "$VIP6" 53 1 \
      "${GROUP_A[@]}" "${GROUP_B[@]}" | awk '{ print $2 }' | name_counts)
case $got in
rs[12]=16) true ;;
*) false ;;
esac
ktap_result "rr -M 64: 16 sources of the client's /64 all reach one server ($got)" $?

# -------------------------------------------------------- bad input

adm -S -n >"$LVS_WORK/before" 2>&1

# bad_case DESC ARGS [MESSAGE]: refused with one line on stderr
# (containing MESSAGE, if given: ip_vs_lite's words, not checked with
# ipvsadm), the configuration unchanged.
bad_case()
{
	local desc=$1 cmd=$2 msg=$3 rc problems=

	[ "$ADM" = ipvsadm ] && msg=

	# shellcheck disable=SC2086
	adm $cmd >"$LVS_WORK/out" 2>"$LVS_WORK/err"
	rc=$?
	adm -S -n >"$LVS_WORK/after" 2>&1
	[ $rc -ne 0 ] || problems+=" exit status 0;"
	[ "$(grep -c . "$LVS_WORK/err")" = 1 ] ||
		problems+=" not one line on stderr;"
	[ -z "$msg" ] || grep -Fq -- "$msg" "$LVS_WORK/err" ||
		problems+=" no '$msg';"
	cmp -s "$LVS_WORK/before" "$LVS_WORK/after" ||
		problems+=" configuration changed;"
	[ -z "$problems" ]
	rc=$?
	ktap_result "$desc refused: $(head -c 100 "$LVS_WORK/err")" $rc
	[ $rc = 0 ] && return
	ktap_diag "$problems"
	ktap_diag_file "$LVS_WORK/err"
}

# The kernel's word on a family mismatch; -i, since the tool itself
# turns down -g and -m with an IPv4 real server on an IPv6 service.
bad_case "IPv4 real server on an IPv6 service (-i)" \
	"-a -t $SVC25 -r $RIP1 -i" "Real server and service address families differ"
bad_case "IPv4 real server on an IPv6 service (-g)" "-a -t $SVC25 -r $RIP1 -g"
# Malformed service addresses, each refused with one line on stderr.
bad=0
for a in "[2001:db8::5" "[2001:db8:::5]:80" "[2001:db8::g]:80" \
	"[2001:db8::5]80" "[2001:db8::5]:65536" "[192.0.2.5]:80"; do
	adm -A -t "$a" -s rr >/dev/null 2>"$LVS_WORK/err" && {
		ktap_diag "accepted: -A -t $a"
		bad=1
	}
	[ "$(grep -c . "$LVS_WORK/err")" = 1 ] || {
		ktap_diag "-A -t $a: not one line on stderr"
		bad=1
	}
done
adm -S -n >"$LVS_WORK/after" 2>&1
cmp -s "$LVS_WORK/before" "$LVS_WORK/after" || bad=1
ktap_result "6 malformed IPv6 service addresses refused, configuration unchanged" $bad
bad_case "malformed real server [2001:db8::7::8]" \
	"-a -t $SVC25 -r [2001:db8::7::8] -g"
bad_case "persistence prefix /129 on an IPv6 service" \
	"-A -t [$VIP6]:26 -s rr -p 60 -M 129"

# ------------------------------------------ no real server answers NS

# With the VIP gone from the director, nobody may answer for it: the
# client's solicitations stay unanswered and its connections fail.
ip -n "$DIR_NS" addr del "$VIP6/128" dev eth0
ip -n cli -6 neigh flush dev eth0
seq=$(smtp6_seq 1)
state=$(ip -n cli -6 neigh show "$VIP6" dev eth0)
case $state in
*lladdr*) false ;;
*) [ "$seq" = none ] ;;
esac
ktap_result "VIP removed from the director: no real server answers for it (${state:-no entry}, $seq)" $?

adm -C
dmesg_check
ktap_finish
