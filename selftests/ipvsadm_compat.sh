#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lvsadm against Debian's ipvsadm on the kernel's own ip_vs, with the
# same table: ipvsadm builds it in ip_vs and saves it (-S); lvsadm
# restores that into ip_vs_lite; every listing must then read the same
# (the version line aside), and lvsadm's -S must restore into ip_vs
# and save back to the very same rules. The table has sh and mh services
# with scheduler flags (-b), an rr one with a generic flag, an lblcr
# one, GUE, GRE and IP-in-IP tunnels with each checksum option
# (--tun-info), and SCTP services (--sctp-service). Then a client
# connects to the persistent service VIP:25 and sends an SCTP INIT to
# VIP:5000, and the connection listing (-lnc), the persistence template
# included, must read the same.
#
#   cli 198.51.100.10 ---veth--- 198.51.100.1 dir
#                                             eth0 (dummy): DIP, VIP
#
# Needs the ip_vs modules of the running kernel and the ipvsadm binary;
# unloads ip_vs again when done.

source "$(dirname "$0")/lib.sh"

compat_cleanup()
{
	ip netns exec "$DIR_NS" ipvsadm -C >/dev/null 2>&1
	ipvs_unload
	lvs_cleanup
}

compat_require()
{
	cmd_require ipvsadm
	mod_available ip_vs || ktap_skip_all "no ip_vs module for $(uname -r)"
	[ "$LVS_MOD" = ip_vs_lite ] || ktap_skip_all "compares ip_vs_lite with ip_vs"
}

lvs_test_begin 14 compat_cleanup compat_require

IPVS_SCHEDS="rr wrr wlc sh mh fo ovf lblcr"
# The listings compared, as ipvsadm options.
VIEWS=("-ln" "-l" "-ln --stats" "-ln --rate --exact" "-ln --persistent-conn"
       "-lnc" "-Sn" "-S" "-ln --tun-info")


ipvs()
{
	ip netns exec "$DIR_NS" ipvsadm "$@"
}

# dump TOOL DIR: every view into DIR, version lines dropped.
dump()
{
	local tool=$1 dir=$2 v i=0

	mkdir -p "$dir"
	for v in "${VIEWS[@]}"; do
		# shellcheck disable=SC2086
		$tool $v 2>&1 | grep -v '^IP Virtual Server version' >"$dir/$i"
		i=$((i + 1))
	done
}

# conns TOOL FILE: the connection listing after one client's SYN from
# port 40000 to the persistent service VIP:25 (one real server) and an
# SCTP INIT from port 40001 to VIP:5000 (INIT1 lasts 4 s: it goes last),
# sorted (the table's walk order is not part of the format), with the
# expiry column blanked (the two runs are not equally fast).
conns()
{
	ip netns exec cli python3 -S -c "
import socket
s = socket.socket()
s.bind(('198.51.100.10', 40000))
s.settimeout(1)
try:
    s.connect(('$VIP', 25))
except OSError:
    pass"
	ip netns exec cli python3 -S "$LIB_DIR/peer.py" sctp-chunk "$VIP" 5000 \
		40001 1
	$1 -lnc >"$2.raw"
	{
		head -n2 "$2.raw"
		tail -n +3 "$2.raw" |
			sed -E 's/^([A-Z]+ )[0-9]{2}:[0-9]{2}/\1MM:SS/' | sort
	} >"$2"
}

# same_conns IPVS LVS: both listings hold the connection and its template,
# and read the same.
same_conns()
{
	grep -q '^TCP MM:SS  SYN_RECV .*:40000 ' "$1" &&
		grep -q '^TCP MM:SS  NONE ' "$1" &&
		grep -q '^SCTP MM:SS  INIT1 .*:40001 ' "$1" ||
		{ cat "$1"; return 1; }
	diff -u "$1" "$2"
}

lvs_workdir
dummy_director "$DIR_NS" cli || { ktap_fail "namespace"; ktap_finish; }

# ---- the table, built by ipvsadm in ip_vs
rules="-A -t $VIP:80 -s rr -p 300 -M 255.255.255.0
-a -t $VIP:80 -r $RIP1 -g -w 3
-a -t $VIP:80 -r $RIP2 -g
-A -t $VIP:0 -s wlc -p 20
-a -t $VIP:0 -r $RIP1:0 -g
-a -t $VIP:0 -r $RIP2:0 -g
-A -t $VIP:443 -s wrr
-a -t $VIP:443 -r $RIP3:8443 -m -w 5
-a -t $VIP:443 -r $RIP2:443 -i -w 0
-A -t $VIP:25 -s wlc -p 60
-a -t $VIP:25 -r $RIP1 -g -w 2
-A -u $VIP:53 -s rr -o
-a -u $VIP:53 -r $RIP1 -g
-a -u $VIP:53 -r $RIP2 -g
-A -u $VIP:54 -s rr -p 60 -o
-A -f 1 -s rr
-a -f 1 -r $RIP1 -g
-a -f 1 -r $RIP2 -g -w 4
-A -f 2 -s wlc -p 100
-a -f 2 -r $RIP3:80 -m
-A -t $VIP:8080 -s sh -b sh-port
-a -t $VIP:8080 -r $RIP1 -g
-a -t $VIP:8080 -r $RIP2 -g -w 2
-A -t $VIP:8081 -s sh -b sh-fallback,sh-port -p 60 -M 255.255.255.0
-A -u $VIP:5353 -s mh -b mh-fallback -o
-a -u $VIP:5353 -r $RIP3 -g
-A -f 3 -b mh-port,mh-fallback -s mh
-a -f 3 -r $RIP2 -g
-A -t $VIP:8082 -s rr -b flag-2
-A -t $VIP:8083 -s rr
-a -t $VIP:8083 -r $RIP1 -i --tun-type gue --tun-port 6080
-a -t $VIP:8083 -r $RIP2 -i --tun-type gue --tun-port 6081 --tun-csum
-a -t $VIP:8083 -r $RIP3 -i --tun-type gre --tun-csum
-A -u $VIP:8083 -s rr
-a -u $VIP:8083 -r $RIP1 -i --tun-type gue --tun-port 6082 --tun-remcsum
-a -u $VIP:8083 -r $RIP2 -i --tun-type gre --tun-nocsum
-a -u $VIP:8083 -r $RIP3 -i --tun-type ipip
-A -t $VIP:3128 -s lblcr
-a -t $VIP:3128 -r $RIP1:3128 -g
-a -t $VIP:3128 -r $RIP2:3128 -g -w 2
-A --sctp-service $VIP:5000 -s rr
-a --sctp-service $VIP:5000 -r $RIP1 -g
-A --sctp-service $VIP:3868 -s wlc -p 120
-a --sctp-service $VIP:3868 -r $RIP2 -i
-a --sctp-service $VIP:3868 -r $RIP3:6000 -m -w 2"

mod_loaded "$LVS_MOD" && lvs_had=1 || lvs_had=0
if mod_loaded "$LVS_MOD"; then
	adm -C
	lvs_unload || { ktap_fail "unload $LVS_MOD to make way for ip_vs"; ktap_finish; }
fi
# shellcheck disable=SC2086 # one word per scheduler
ipvs_load $IPVS_SCHEDS || ktap_skip_all "cannot load ip_vs"
ipvs -C
out=$(while read -r l; do
	# shellcheck disable=SC2086
	ipvs $l || echo "ipvsadm $l failed"
done <<<"$rules" 2>&1)
ktap_eq "ipvsadm builds the table in ip_vs" "" "$out"
ipvs -Sn >"$LVS_WORK/ipvs.rules"
dump ipvs "$LVS_WORK/ipvs"
conns ipvs "$LVS_WORK/ipvs.conns"
ipvs -C
ipvs_unload

# ---- the same table in ip_vs_lite, from ipvsadm's rules
lvs_load || { ktap_fail "load $LVS_MOD"; ktap_finish; }
for s in $IPVS_SCHEDS; do
	modprobe "$(sched_mod "$s")"
done
ktap_check "lvsadm -R restores ipvsadm -Sn's rules" \
	adm -R <"$LVS_WORK/ipvs.rules"
dump adm "$LVS_WORK/lvs"
i=0
for v in "${VIEWS[@]}"; do
	ktap_check "$v reads as ipvsadm's" \
		diff -u "$LVS_WORK/ipvs/$i" "$LVS_WORK/lvs/$i"
	i=$((i + 1))
done
conns adm "$LVS_WORK/lvs.conns"
ktap_check "-lnc with a persistence template and an SCTP entry reads as ipvsadm's" \
	same_conns "$LVS_WORK/ipvs.conns" "$LVS_WORK/lvs.conns"

# ---- and back: lvsadm's rules into ip_vs
adm -Sn >"$LVS_WORK/lvs.rules"
adm -C
# shellcheck disable=SC2086 # one word per scheduler
ipvs_load $IPVS_SCHEDS || { ktap_fail "reload ip_vs"; ktap_finish; }
ipvs -R <"$LVS_WORK/lvs.rules"
ktap_check "ipvsadm -R takes lvsadm -Sn's rules and saves them back unchanged" \
	diff -u "$LVS_WORK/ipvs.rules" <(ipvs -Sn)
ipvs -C
ipvs_unload
[ "$lvs_had" = 1 ] || modprobe -r "$LVS_MOD" 2>/dev/null

dmesg_check
ktap_finish
