#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LVS/TUN with GUE and GRE (--tun-type gue|gre): the director wraps the
# client's packet in UDP and GUE to rs1's fou port, or in GRE to rs2;
# the real servers unwrap it with iproute2's fou port and the ipip,
# ip6_tunnel, ip_gre and ip6_gre fallback devices, and answer the client
# directly. Checked with real traffic, IPv4 and IPv6: rr alternates
# between the GUE and the GRE server, the servers see the client's
# address, the checksum options show on the wire (nftables counters on
# the real servers: GUE's UDP checksum, GRE's C bit, GUE's remote
# checksum option) and connections still work with each; -S and -R keep
# the tunnel settings; --tun-info lists them.
#
#      cli                dir                 rs1               rs2
#  192.0.2.100        192.0.2.6           192.0.2.7         192.0.2.8
#  2001:db8:1::100    2001:db8:1::6       2001:db8:1::7     2001:db8:1::8
#       |          VIP 192.0.2.5 and      fou 6080 (gue)    gre0, ip6gre0
#       |          2001:db8:1::5 (eth0)   tunl0, ip6tnl0    VIPs on lo
#       |                 |               VIPs on lo             |
#  =====+=================+=========br0=======+=================+=====
#
#  TCP VIP:80, TCP [VIP6]:80 -> rs1 (-i gue :6080) | rs2 (-i gre), rr

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8:1::5
GUE_PORT=6080

encap_require()
{
	v6_require
	cmd_require nft curl
	local m

	for m in fou fou6 ipip ip6_tunnel ip_gre ip6_gre; do
		mod_loaded "$m" || modprobe "$m" 2>/dev/null ||
			ktap_skip_all "$m module not available"
	done
}

lvs_test_begin 19 lvs_cleanup encap_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"

# ----------------------------------------------------------- topology

# v6_addr NS N: 2001:db8:1::N on NS's eth0.
v6_addr()
{
	ip -n "$1" addr add "2001:db8:1::$2/64" dev eth0 nodad
}

# Decapsulated packets arrive on a tunnel device while the client is
# reached through eth0: strict reverse path filtering would drop them.
no_rp_filter()
{
	local ns=$1 dev

	shift
	for dev in all default eth0 "$@"; do
		ip netns exec "$ns" sysctl -qw "net.ipv4.conf.$dev.rp_filter=0" ||
			return 1
	done
}

# wire_table NS RULES: the wire counters of a real server, named counters
# that prerouting RULES feed: nocsum, csum and remcsum.
wire_table()
{
	ip netns exec "$1" nft -f - <<-EOF
	table inet wire {
		counter nocsum { }
		counter csum { }
		counter remcsum { }
		chain pre {
			type filter hook prerouting priority -300;
			$2
		}
	}
	EOF
}

# wire NS NAME: the packets NS's counter NAME counted.
wire()
{
	ip netns exec "$1" nft list counter inet wire "$2" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# some NS NAME: "yes" if NS's counter NAME counted a packet.
some()
{
	[ "$(wire "$1" "$2")" -gt 0 ] 2>/dev/null && echo yes || echo no
}

# wire_zero NS: counters back to 0.
wire_zero()
{
	ip netns exec "$1" nft reset counters table inet wire >/dev/null
}

encap_topology()
{
	local i

	lvs_topology 2 || return 1
	v6_addr cli 100 && v6_addr "$DIR_NS" 6 && v6_addr rs1 7 &&
		v6_addr rs2 8 || return 1
	ip -n "$DIR_NS" addr add "$VIP6/128" dev eth0 nodad || return 1
	for i in 1 2; do
		ip -n "rs$i" addr add "$VIP6/128" dev lo nodad || return 1
	done
	# rs1: GUE on UDP 6080, for IPv4 and IPv6; the payload goes to the
	# ipip and ip6ip6 handlers, whose fallback devices take it.
	ip -n rs1 fou add port "$GUE_PORT" gue &&
		ip -n rs1 fou add port "$GUE_PORT" gue -6 &&
		ip -n rs1 link set tunl0 up && ip -n rs1 link set ip6tnl0 up &&
		no_rp_filter rs1 tunl0 || return 1
	ip -n rs2 link set gre0 up && ip -n rs2 link set ip6gre0 up &&
		no_rp_filter rs2 gre0 || return 1
	# GUE: the header length (5 bits after the UDP header and 3 bits)
	# is 2 words with the remote checksum option. GRE: the C bit leads.
	wire_table rs1 "
		udp dport $GUE_PORT udp checksum 0 counter name nocsum
		udp dport $GUE_PORT udp checksum != 0 counter name csum
		udp dport $GUE_PORT @th,67,5 2 counter name remcsum" &&
	wire_table rs2 "
		ip protocol gre @nh,160,1 0 counter name nocsum
		ip protocol gre @nh,160,1 1 counter name csum
		ip6 nexthdr gre @nh,320,1 0 counter name nocsum
		ip6 nexthdr gre @nh,320,1 1 counter name csum"
}

lvs_workdir
encap_topology || { ktap_fail "topology"; ktap_finish; }
# Checksums the client's stack leaves to the device: what remote
# checksum offload hands on to the real server.
tx_csum on cli eth0

# who_v4 N, who_v6 N: N requests to the service; the servers' names.
who_v4()
{
	http_seq "$1" /cgi-bin/who | awk 'NF { print $1 }' | xargs
}

who_v6()
{
	curl_times "$1" "http://[$VIP6]/cgi-bin/who" | awk 'NF { print $1 }' |
		xargs
}

# pair: two requests to each service; the servers' names, sorted per
# service: "rs1 rs2 rs1 rs2" when rr alternates in both.
pair()
{
	echo "$(who_v4 2 | tr ' ' '\n' | sort | xargs) $(who_v6 2 | tr ' ' '\n' | sort | xargs)"
}

# edit_tun OPTS1 OPTS2: rs1's and rs2's tunnel options, both services.
edit_tun()
{
	adm_batch "-e -t $VIP:80 -r $RIP1 -i $1" "-e -t $VIP:80 -r $RIP2 -i $2" \
		"-e -t [$VIP6]:80 -r [2001:db8:1::7]:80 -i $1" \
		"-e -t [$VIP6]:80 -r [2001:db8:1::8]:80 -i $2"
}

# --------------------------------------------------------------- tests

cat >"$LVS_WORK/rules" <<EOF
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RIP1 -i --tun-type gue --tun-port $GUE_PORT
-a -t $VIP:80 -r $RIP2 -i --tun-type gre
-A -t [$VIP6]:80 -s rr
-a -t [$VIP6]:80 -r [2001:db8:1::7]:80 -i --tun-type gue --tun-port $GUE_PORT
-a -t [$VIP6]:80 -r [2001:db8:1::8]:80 -i --tun-type gre
EOF
ktap_check "-R: VIP:80 and [VIP6]:80, rs1 by GUE to port $GUE_PORT, rs2 by GRE" \
	adm -R <"$LVS_WORK/rules"
ktap_eq "--tun-info lists gue:$GUE_PORT:-c and gre:-c" \
	"gue:$GUE_PORT:-c gre:-c gue:$GUE_PORT:-c gre:-c" \
	"$(adm -ln --tun-info | awk '$1 == "->" && $3 == "Tunnel" { print $4 }' | xargs)"

# shellcheck disable=SC2046
alternates $(who_v4 4)
ktap_result "IPv4: 4 connections alternate between the GUE and the GRE server" $?
ktap_eq "IPv4: the servers see the client's address" "192.0.2.100" \
	"$(http_seq 2 /cgi-bin/who | awk 'NF { print $2 }' | v4 | sort -u | xargs)"
# shellcheck disable=SC2046
alternates $(who_v6 4)
ktap_result "IPv6: 4 connections alternate between the GUE and the GRE server" $?

ktap_eq "without checksums: GUE's UDP checksum is 0, GRE has no C bit" \
	"yes no yes no" \
	"$(some rs1 nocsum) $(some rs1 csum) $(some rs2 nocsum) $(some rs2 csum)"

# ---- --tun-csum. A GRE device takes checksummed packets only with
# icsum, and then only those: rs2 gets such devices for this part.
ip -n rs2 link add grec type gre local "$RIP2" icsum &&
	ip -n rs2 link add grec6 type ip6gre local 2001:db8:1::8 icsum &&
	ip -n rs2 link set grec up && ip -n rs2 link set grec6 up &&
	no_rp_filter rs2 grec || ktap_diag "rs2: no icsum GRE devices"
ktap_check "-e: --tun-csum for both" \
	edit_tun "--tun-type gue --tun-port $GUE_PORT --tun-csum" \
	"--tun-type gre --tun-csum"
wire_zero rs1 && wire_zero rs2
ktap_eq "--tun-csum: IPv4 and IPv6 connections reach both servers" \
	"rs1 rs2 rs1 rs2" "$(pair)"
ktap_eq "--tun-csum: GUE's UDP checksum is set, GRE's C bit too" \
	"no yes no yes" \
	"$(some rs1 nocsum) $(some rs1 csum) $(some rs2 nocsum) $(some rs2 csum)"

# ---- --tun-remcsum: the client's TCP checksum is left to rs1
ip -n rs2 link del grec && ip -n rs2 link del grec6
ktap_check "-e: --tun-remcsum for rs1" \
	edit_tun "--tun-type gue --tun-port $GUE_PORT --tun-remcsum" \
	"--tun-type gre"
wire_zero rs1
ktap_eq "--tun-remcsum: IPv4 and IPv6 connections reach both servers" \
	"rs1 rs2 rs1 rs2" "$(pair)"
ktap_eq "--tun-remcsum: GUE carries the remote checksum option, with a UDP checksum" \
	"yes no" "$(some rs1 remcsum) $(some rs1 nocsum)"

# ---- -S and -R
adm -S -n >"$LVS_WORK/saved"
ktap_eq "-S writes the tunnels as ipvsadm does" \
	"-a -t $VIP:80 -r $RIP1:80 -i -w 1 --tun-type gue --tun-port $GUE_PORT --tun-remcsum|-a -t $VIP:80 -r $RIP2:80 -i -w 1 --tun-type gre --tun-nocsum" \
	"$(grep -F -- "-a -t $VIP:80 " "$LVS_WORK/saved" | paste -sd '|')"
adm -C
ktap_check "-C, then -R of what -S wrote" adm -R <"$LVS_WORK/saved"
ktap_eq "  gives the same table back" "$(cat "$LVS_WORK/saved")" \
	"$(adm -S -n)"
# shellcheck disable=SC2046
alternates $(who_v4 2)
ktap_result "  and the restored tunnels carry traffic" $?

# ---- a tunnel type change reaches established settings at once
ktap_check "-e: rs1 back to IP-in-IP" \
	adm -e -t "$VIP:80" -r "$RIP1" -i
wire_zero rs1
ktap_eq "IP-in-IP: rs1 still answers, and no GUE packet reaches it" \
	"rs1 no no" \
	"$(who_v4 2 | tr ' ' '\n' | grep -x rs1 | head -n1) $(some rs1 nocsum) $(some rs1 csum)"

dmesg_check
ktap_finish
