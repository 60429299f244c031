#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FTP helper (ip_vs_lite_ftp) on a masqueraded FTP service: vsftpd on
# two real servers behind the director, Python's ftplib as the client.
# Checked with real transfers: passive mode over IPv4 (PASV: the 227
# answer names the VIP instead of the real server, in the same bytes)
# and IPv6 (EPSV), active mode over IPv4 (PORT: the real server's
# connection from its port 20 leaves from VIP:20) and IPv6 (EPRT); each
# transfer reaches the real server of its control connection, rr taking
# turns between the control connections; a PORT naming another address
# than the client's own makes no data connection. Without the helper,
# the 227 answer names the real server and passive mode fails.
#
#   cli 198.51.100.10, 2001:db8:1::10
#        |
#  ======+=================br1=====+=====  198.51.100.0/24, 2001:db8:1::/64
#                                  |
#              eth1 198.51.100.1, 2001:db8:1::1
#              VIP 198.51.100.5, 2001:db8:1::5
#                            dir (forwarding)
#              eth0 192.0.2.1, 2001:db8:2::1
#                                  |
#  ======+================+========+===br0=====  192.0.2.0/24, 2001:db8:2::/64
#        |                |
#   rs1 192.0.2.7    rs2 192.0.2.8       vsftpd on port 21, data from 20,
#   2001:db8:2::7    2001:db8:2::8       passive ports 30000-30099;
#   default via dir  default via dir     anonymous, /who names the server
#
#  TCP VIP:21, TCP [VIP6]:21 -> rs1 | rs2 (rr, -m)

source "$(dirname "$0")/lib.sh"

VIP=198.51.100.5
CIP=198.51.100.10
VIP6=2001:db8:1::5
FTP_MOD=${SCHED_PREFIX}ftp
PEER=(python3 -S "$LIB_DIR/peer.py")
PEER6=(python3 -S "$LIB_DIR/peer6.py")

ftp_require()
{
	v6_require
	cmd_require python3 /usr/sbin/vsftpd
	[ "$LVS_MOD" = ip_vs_lite ] || FTP_MOD=ip_vs_ftp
	mod_available "$FTP_MOD" || ktap_skip_all "no module $FTP_MOD"
}

lvs_test_begin 12 lvs_cleanup ftp_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# ftp_rs NS N: real server N on br0 running vsftpd, IPv4 and IPv6.
ftp_rs()
{
	local ns=$1 n=$2 dir=$LVS_WORK/$1

	setup_ns "$ns" &&
		br_port br0 "$ns" eth0 "192.0.2.$n/24" &&
		ip -n "$ns" addr add "2001:db8:2::$n/64" dev eth0 nodad &&
		ip -n "$ns" route add default via 192.0.2.1 &&
		ip -n "$ns" -6 route add default via 2001:db8:2::1 || return 1
	mkdir -p "$dir/pub" "$dir/empty"
	echo "$ns" >"$dir/pub/who"
	# The anonymous user, ftp, must reach its root.
	chmod 755 "$LVS_WORK" "$dir" "$dir/pub"
	chmod 644 "$dir/pub/who"
	cat >"$dir/vsftpd.conf" <<-EOF
	listen=NO
	listen_ipv6=YES
	background=NO
	anonymous_enable=YES
	anon_root=$dir/pub
	local_enable=NO
	write_enable=NO
	ftp_username=ftp
	nopriv_user=ftp
	secure_chroot_dir=$dir/empty
	connect_from_port_20=YES
	pasv_min_port=30000
	pasv_max_port=30099
	seccomp_sandbox=NO
	isolate=NO
	isolate_network=NO
	dirmessage_enable=NO
	xferlog_enable=NO
	vsftpd_log_file=$dir/vsftpd.log
	EOF
	lvs_bg ip netns exec "$ns" /usr/sbin/vsftpd "$dir/vsftpd.conf"
}

ftp_topology()
{
	setup_ns br cli "$DIR_NS" && br_add br0 br1 || return 1
	br_port br1 cli eth0 "$CIP/24" &&
		ip -n cli addr add 2001:db8:1::10/64 dev eth0 nodad &&
		br_port br1 "$DIR_NS" eth1 198.51.100.1/24 &&
		ip -n "$DIR_NS" addr add 2001:db8:1::1/64 dev eth1 nodad &&
		br_port br0 "$DIR_NS" eth0 192.0.2.1/24 &&
		ip -n "$DIR_NS" addr add 2001:db8:2::1/64 dev eth0 nodad ||
		return 1
	ip -n "$DIR_NS" addr add "$VIP/32" dev eth1
	ip -n "$DIR_NS" addr add "$VIP6/128" dev eth1 nodad
	ip netns exec "$DIR_NS" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
	ftp_rs rs1 7 && ftp_rs rs2 8 || return 1
	wait_listen rs1 21 && wait_listen rs2 21
}

lvs_workdir
ftp_topology || { ktap_fail "topology"; ktap_finish; }

# get4 MODE, get6 MODE: one anonymous RETR of /who through the VIP; two
# lines: the data connection's command and answer, the server's name.
get4()
{
	ip netns exec cli "${PEER[@]}" ftp-get "$VIP" "$1" who 2>&1
}

get6()
{
	ip netns exec cli "${PEER6[@]}" ftp-get "$VIP6" "$1" who 2>&1
}

# names OUT: the server names of several get outputs, in order.
names()
{
	awk '/^rs[0-9]$/ { print }' <<<"$1" | xargs
}

ktap_check "TCP VIP:21 and [VIP6]:21, rs1 and rs2 masqueraded" \
	adm_batch "-A -t $VIP:21 -s rr" "-a -t $VIP:21 -r 192.0.2.7 -m" \
	"-a -t $VIP:21 -r 192.0.2.8 -m" "-A -t [$VIP6]:21 -s rr" \
	"-a -t [$VIP6]:21 -r [2001:db8:2::7]:21 -m" \
	"-a -t [$VIP6]:21 -r [2001:db8:2::8]:21 -m"

# ---- without the helper: the 227 answer gives the real server away
out=$(get4 passive)
ktap_eq "no helper: PASV names the real server, and the transfer fails" \
	"yes no" \
	"$(grep -q '227 .*(192,0,2,[78],' <<<"$out" && echo yes || echo no) $(grep -q '^rs[12]$' <<<"$out" && echo yes || echo no)"

ktap_check "modprobe $FTP_MOD" mod_load_tmp "$FTP_MOD"

# ---- passive mode
out=$(get4 passive; get4 passive)
ktap_eq "IPv4 passive: two transfers, one from each real server" \
	"rs1 rs2" "$(names "$out" | tr ' ' '\n' | sort | xargs)"
ktap_check "  PASV's 227 names the VIP ($(grep -m1 -o '227 .*' <<<"$out"))" \
	grep -Eq '227 .*\(0*198,0*51,0*100,0*5,[0-9]+,[0-9]+\)' <<<"$out"
out=$(get6 passive; get6 passive)
ktap_eq "IPv6 passive (EPSV): two transfers, one from each real server" \
	"rs1 rs2" "$(names "$out" | tr ' ' '\n' | sort | xargs)"

# ---- active mode
out=$(get4 active; get4 active)
ktap_eq "IPv4 active (PORT): two transfers, one from each real server" \
	"rs1 rs2" "$(names "$out" | tr ' ' '\n' | sort | xargs)"
out=$(get6 active; get6 active)
ktap_eq "IPv6 active (EPRT): two transfers, one from each real server" \
	"rs1 rs2" "$(names "$out" | tr ' ' '\n' | sort | xargs)"

adm -lnc >"$LVS_WORK/conns"
ktap_eq "-lnc lists the data connections: to port 20 (active), 30000 on (passive)" \
	"yes yes" \
	"$(grep -Eq ' 192\.0\.2\.[78]:20$' "$LVS_WORK/conns" && echo yes || echo no) $(grep -Eq ' 192\.0\.2\.[78]:300[0-9][0-9]$' "$LVS_WORK/conns" && echo yes || echo no)" ||
	ktap_diag_file "$LVS_WORK/conns"

# ---- a PORT for another address than the client's makes no data
# connection (no FTP bounce through the director): with one, the client
# port it names would show as 198.51.100.10:30000 -> VIP:20.
cat >"$LVS_WORK/bounce.py" <<'EOF'
import ftplib, sys
f = ftplib.FTP(sys.argv[1], timeout=10)
f.login()
try:
    print(f.sendcmd("PORT 198,51,100,99,117,48"))
except ftplib.all_errors as e:
    print("refused:", e)
EOF
out=$(ip netns exec cli python3 -S "$LVS_WORK/bounce.py" "$VIP" 2>&1)
ktap_eq "PORT naming 198.51.100.99 ($out): no data connection for it" no \
	"$(adm -lnc | grep -q ":30000 *$VIP:20 " && echo yes || echo no)"

ktap_check "rmmod $FTP_MOD while connections it made may remain" \
	modprobe -r "$FTP_MOD"

dmesg_check
ktap_finish
