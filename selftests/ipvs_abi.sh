#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The "IPVS" front door: with ipvs_abi=1, ip_vs_lite also registers the
# generic netlink family of linux/ip_vs.h, and Debian's unmodified
# ipvsadm drives it. ipvsadm builds, lists (-ln, --stats, -S), restores
# and deletes; ipvsadm and lvsadm print the same table, IPv6 included,
# and a change made through either shows in both, scheduler flags (-b)
# included, and so does an SCTP service; traffic through a
# service made by ipvsadm reaches the real servers; long listings come
# in several dump parts; what ip_vs_lite lacks (sync daemons,
# persistence engines, real servers of another address family, the
# third scheduler flag, a GUE tunnel without a port) is refused with
# IPVS's error and an extack message; GUE and GRE tunnels made by
# ipvsadm list in lvsadm. Last, the kernel's own ip_vs: loaded first, it makes
# "modprobe ip_vs_lite ipvs_abi=1" fail with a dmesg line, and without
# the parameter both modules load side by side.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  cli -> VIP:25 -> dir (rr, -g, made by ipvsadm) -> rs1 | rs2 -> cli

source "$(dirname "$0")/lib.sh"

VIP6=2001:db8::5
RIP6=2001:db8::7

abi_require()
{
	[ "$LVS_MOD" = ip_vs_lite ] ||
		ktap_skip_all "the IPVS front door is ip_vs_lite's (testing $LVS_MOD)"
	case $ADM_BIN in
	*/lvsadm) ;;
	*) ktap_skip_all "needs lvsadm as the admin tool (ADM=$ADM)" ;;
	esac
	IPVSADM=$(command -v ipvsadm) || ktap_skip_all "ipvsadm not installed"
	cmd_require python3 setpriv
	modinfo -p ip_vs_lite 2>/dev/null | grep -q '^ipvs_abi:' ||
		ktap_skip_all "this ip_vs_lite has no ipvs_abi parameter"
}

# abi_cleanup, trapped further down, unloads modules: a skipped run
# leaves them be.
lvs_test_begin 52 - abi_require

# ------------------------------------------------------------ helpers

ipvs()
{
	vlog "ipvsadm $*"
	ip netns exec "$DIR_NS" "$IPVSADM" "$@"
}

ipvs_batch()
{
	local a

	for a in "$@"; do
		# shellcheck disable=SC2086
		ipvs $a || { echo "failed: ipvsadm $a" >&2; return 1; }
	done
}

abi_cleanup()
{
	lvs_cleanup
	ipvs_unload
	lvs_unload
}
trap abi_cleanup EXIT

# same_listing DESC ARGS...: "lvsadm ARGS" and "ipvsadm ARGS" print the
# same, but for the version in the first line.
same_listing()
{
	local desc=$1 a b

	shift
	a=$(adm "$@" 2>&1 | tail -n +2)
	b=$(ipvs "$@" 2>&1 | tail -n +2)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	ktap_diag "$(diff <(echo "$a") <(echo "$b"))"
	return 1
}

# ipvs_weight SVC RS: the weight of real server RS ("addr:port") of
# service SVC ("TCP addr:port"), as ipvsadm lists it.
ipvs_weight()
{
	ipvs -ln | awk -v svc="$1" -v rs="$2" '
		/^(TCP|UDP|FWM)/ { cur = $1 " " $2; next }
		$1 == "->" && cur == svc && $2 == rs { print $4 }'
}

# Raw IPVS requests, for what ipvsadm cannot send or does not show: the
# socket asks for extended acks, and each case named on the command
# line prints its name, the errno name and the extack message of the
# answer ("OK" when there is no error). One run for all: python is slow
# to start under TCG.
write_ipvs_req()
{
	cat >"$LVS_WORK/ipvs_req.py" <<-'EOF'
	import errno, socket, struct, sys

	VIP, RIP = sys.argv[1], sys.argv[2]
	NESTED = 0x8000

	def attr(t, data):
	    n = 4 + len(data)
	    return struct.pack("HH", n, t) + data + b"\0" * (-n % 4)

	def u8(t, v): return attr(t, struct.pack("B", v))
	def u16(t, v): return attr(t, struct.pack("H", v))
	def be16(t, v): return attr(t, struct.pack(">H", v))
	def u32(t, v): return attr(t, struct.pack("I", v))
	def be32(t, v): return attr(t, struct.pack(">I", v))
	def string(t, v): return attr(t, v.encode() + b"\0")
	def nest(t, *a, flag=NESTED): return attr(t | flag, b"".join(a))
	def addr(t, a): return attr(t, socket.inet_aton(a) + bytes(12))

	def addr6(t, a): return attr(t, socket.inet_pton(socket.AF_INET6, a))

	def svc_key(af=2, port=25):
	    a = addr(3, VIP) if af == 2 else addr6(3, "2001:db8::5")
	    return [u16(1, af), u16(2, 6), a, be16(4, port)]

	def svc(*extra, af=2, port=25, flags=0, netmask=0xffffffff, flag=NESTED):
	    return nest(1, *svc_key(af, port), string(6, "rr"),
	                attr(7, struct.pack("II", flags, 0xffffffff)),
	                u32(8, 0), be32(9, netmask), *extra, flag=flag)

	def dest(fwd=3, *extra):
	    return nest(2, u16(11, 2), addr(1, RIP), be16(2, 25),
	                u32(3, fwd), u32(4, 1), u32(5, 0), u32(6, 0), *extra)

	NEW_SERVICE, NEW_DEST, NEW_DAEMON, GET_DAEMON = 1, 5, 9, 11
	DUMP = 0x300
	CASES = {
	    "daemon": (NEW_DAEMON, 0, [nest(3, u32(1, 1), string(2, "eth0"),
	                                     u32(3, 0))]),
	    "daemon-dump": (GET_DAEMON, DUMP, []),
	    "pe": (NEW_SERVICE, 0, [svc(string(11, "sip"), port=26)]),
	    "ipv6-netmask": (NEW_SERVICE, 0, [svc(af=10, port=26, netmask=0)]),
	    "mixed": (NEW_DEST, 0, [svc(), nest(2, u16(11, 10),
	                                        addr6(1, "2001:db8::7"),
	                                        be16(2, 25), u32(3, 3), u32(4, 1),
	                                        u32(5, 0), u32(6, 0))]),
	    "sched-flags": (NEW_SERVICE, 0, [svc(port=26, flags=0x20)]),
	    "netmask": (NEW_SERVICE, 0, [svc(port=26, netmask=0xff00ff00)]),
	    "no-sched": (NEW_SERVICE, 0, [nest(1, *svc_key(port=26))]),
	    "output-attr": (NEW_SERVICE, 0, [svc(nest(10), port=26)]),
	    "not-nested": (NEW_SERVICE, 0, [svc(port=26, flag=0)]),
	    "gue": (NEW_DEST, 0, [svc(), dest(2, u8(13, 1), be16(14, 0))]),
	    "localnode": (NEW_DEST, 0, [svc(), dest(1)]),
	    "tcp": (NEW_SERVICE, 0, [svc(port=26)]),
	}

	def family(sock, name):
	    fam = None
	    sock.send(message(0x10, 3, 0, string(2, name)))
	    for t, payload in replies(sock):
	        if t == 0x10:
	            fam = struct.unpack("H", parse(payload[4:])[1][:2])[0]
	    if fam is None:
	        sys.exit("no family " + name)
	    return fam

	def message(fam, cmd, flags, body):
	    body = struct.pack("BBH", cmd, 1, 0) + body
	    return struct.pack("IHHII", 16 + len(body), fam, 1 | 4 | flags,
	                       1, 0) + body

	def parse(data):
	    attrs, pos = {}, 0
	    while pos + 4 <= len(data):
	        n, t = struct.unpack_from("HH", data, pos)
	        attrs[t & 0x3fff] = data[pos + 4:pos + n]
	        pos += (n + 3) & ~3
	    return attrs

	def replies(sock):
	    while True:
	        data = sock.recv(65536)
	        pos = 0
	        while pos < len(data):
	            n, t, f = struct.unpack_from("IHH", data, pos)
	            yield t, data[pos + 16:pos + n]
	            if t in (2, 3):
	                return
	            pos += (n + 3) & ~3

	def outcome(payload):
	    err = struct.unpack_from("i", payload)[0]
	    if not err:
	        return "OK"
	    olen = struct.unpack_from("I", payload, 4)[0]
	    msg = parse(payload[4 + ((olen + 3) & ~3):]).get(1, b"")
	    name = errno.errorcode[-err].replace("ENOTSUP", "EOPNOTSUPP")
	    return name + " " + msg.rstrip(b"\0").decode()

	sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
	sock.setsockopt(270, 11, 1)	# SOL_NETLINK, NETLINK_EXT_ACK
	sock.bind((0, 0))
	fam = family(sock, "IPVS")
	for case in sys.argv[3:]:
	    cmd, flags, body = CASES[case]
	    sock.send(message(fam, cmd, flags, b"".join(body)))
	    for t, payload in replies(sock):
	        if t == 2:
	            print(case, outcome(payload))
	        elif t == 3:
	            print(case, "OK")
	EOF
}

# ipvs_req CASE...: the answers to raw requests, from the director.
ipvs_req()
{
	ip netns exec "$DIR_NS" python3 "$LVS_WORK/ipvs_req.py" "$VIP" \
		"$RIP1" "$@" >"$LVS_WORK/answers" 2>&1
}

# answer CASE: what the kernel answered to CASE.
answer()
{
	awk -v c="$1" '$1 == c { $1 = ""; sub(/^ /, ""); print }' \
		"$LVS_WORK/answers"
}

# refused DESC ERRNO CASE: the raw request was refused with ERRNO and an
# extack message.
refused()
{
	local desc=$1 want=$2 got

	got=$(answer "$3")
	case $got in
	"$want "?*) ktap_ok "$desc: $got" ;;
	*)
		ktap_fail "$desc"
		ktap_diag "expected $want and a message, got: $got"
		;;
	esac
}

# ipvs_fails DESC ARGS...: ipvsadm ARGS exits non-zero.
ipvs_fails()
{
	local desc=$1 out rc

	shift
	out=$(ipvs "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		ktap_ok "$desc (exit $rc${out:+: $(head -n1 <<<"$out")})"
		return 0
	fi
	ktap_fail "$desc"
	ktap_diag "ipvsadm $* succeeded: $out"
	return 1
}

# The listing reduced to what the table holds, whitespace normalised.
table()
{
	adm -ln | awk '/^(TCP|UDP|SCTP|FWM)/ { $1 = $1; print; next }
		       $1 == "->" && $2 ~ /^[0-9[]/ { print $1, $2, $3, $4 }'
}

restore_saved()
{
	ipvs -C && ipvs -R <"$LVS_WORK/saved"
}

# Each family keeps its own table: ipvsadm now speaks to ip_vs.
side_by_side()
{
	modprobe ip_vs_lite || return 1
	ipvs -A -t "$VIP:8080" -s rr || return 1
	ipvs -ln | grep -q ":8080 rr" || { echo "ip_vs lost the service"; return 1; }
	! adm -ln | grep -q ":8080" || { echo "lvsadm lists ip_vs's service"; return 1; }
	ipvs -C
}

# ------------------------------------------------------------ loading

lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir
write_ipvs_req
ipvs_unload
lvs_unload

ktap_check "modprobe ip_vs_lite ipvs_abi=1: parameter reads Y" \
	bash -c 'modprobe ip_vs_lite ipvs_abi=1 &&
		 grep -qx Y /sys/module/ip_vs_lite/parameters/ipvs_abi' ||
	ktap_finish

# ------------------------------------------------- ipvsadm builds a table

ktap_check "ipvsadm adds TCP rr, TCP wlc (thresholds, NAT), UDP one-packet, IPv6 and fwmark persistent services" \
	ipvs_batch "-A -t $VIP:25 -s rr" "-a -t $VIP:25 -r $RIP1 -g" \
	"-a -t $VIP:25 -r $RIP2 -g" \
	"-A -t $VIP:80 -s wlc" "-a -t $VIP:80 -r $RIP1 -g -w 3 -x 100 -y 50" \
	"-a -t $VIP:80 -r $RIP2:8080 -m -w 2" \
	"-A -u $VIP:53 -s wrr -o" "-a -u $VIP:53 -r $RIP1 -g" \
	"-A -t [$VIP6]:80 -s rr -p 60 -M 64" "-a -t [$VIP6]:80 -r [$RIP6]:80 -g" \
	"-A -f 7 -s lc -p 600 -M 255.255.255.0" "-a -f 7 -r $RIP2 -i" \
	"-a -f 7 -r $RIP1:80 -g"

size=$(adm -ln | sed -n '1s/.*(size=\([0-9]*\)).*/\1/p')
ktap_eq "ipvsadm's header is IPVS's: version 1.2.1, the table size" \
	"IP Virtual Server version 1.2.1 (size=$size)" "$(ipvs -ln | head -n1)"

same_listing "ipvsadm -ln and lvsadm -ln print the same table" -ln
same_listing "ipvsadm and lvsadm agree with --thresholds" -ln --thresholds
same_listing "ipvsadm and lvsadm agree with --persistent-conn" \
	-ln --persistent-conn

ktap_eq "lvsadm sees what ipvsadm made: services, schedulers, flags, real servers" \
	"TCP $VIP:25 rr
-> $RIP1:25 Route 1
-> $RIP2:25 Route 1
TCP $VIP:80 wlc
-> $RIP1:80 Route 3
-> $RIP2:8080 Masq 2
UDP $VIP:53 wrr ops
-> $RIP1:53 Route 1
TCP [$VIP6]:80 rr persistent 60 mask 64
-> [$RIP6]:80 Route 1
FWM 7 lc persistent 600 mask 255.255.255.0
-> $RIP1:80 Route 1
-> $RIP2:0 Tunnel 1" "$(table)"

# Reads need CAP_NET_ADMIN too, as with IPVS: the table shows real
# servers, their counters and client addresses.
unprivileged_list()
{
	local out

	out=$(ip netns exec "$DIR_NS" setpriv --reuid=65534 --regid=65534 \
	      --clear-groups "$IPVSADM" -Ln 2>&1)
	[ $? -ne 0 ] && ! grep -qF "$RIP1" <<<"$out"
}
ktap_check "uid 65534: ipvsadm -Ln is refused and shows nothing" \
	unprivileged_list

# ---------------------------------------------------- save and restore

ipvs -S -n >"$LVS_WORK/saved" 2>&1
before=$(adm -ln)
ktap_eq "ipvsadm -S -n saves 5 services and 8 real servers" "5 8" \
	"$(grep -c '^-A' "$LVS_WORK/saved") $(grep -c '^-a' "$LVS_WORK/saved")"
ktap_check "ipvsadm -C, then ipvsadm -R from the save" restore_saved
ktap_eq "... gives the same table, as lvsadm lists it" "$before" "$(adm -ln)"

# --------------------------------------------------------- traffic

seq4=$(smtp_seq 4)
case $seq4 in
"rs1 rs2 rs1 rs2" | "rs2 rs1 rs2 rs1") ktap_ok "ipvsadm's rr service alternates: $seq4" ;;
*) ktap_fail "ipvsadm's rr service alternates: $seq4" ;;
esac

same_listing "ipvsadm -ln --stats and lvsadm agree after traffic" \
	-ln --stats
ktap_eq "--stats: 4 connections on TCP $VIP:25" 4 \
	"$(ipvs -ln --stats | awk -v s="$VIP:25" '$1 == "TCP" && $2 == s { print $3 }')"
ktap_eq "--stats --exact: 2 connections on each real server" "2 2" \
	"$(ipvs -ln --stats --exact -t "$VIP:25" |
	   awk '$1 == "->" && $2 ~ /^[0-9]/ { printf "%s%s", sep, $3; sep = " " }')"
ipvs -Z -t "$VIP:25"
ktap_eq "ipvsadm -Z -t zeroes the service's counters" 0 \
	"$(adm -ln --stats | awk -v s="$VIP:25" '$1 == "TCP" && $2 == s { print $3 }')"

# ---------------------------------------------- one table, two doors

adm -e -t "$VIP:25" -r "$RIP2" -g -w 4
ktap_eq "lvsadm -e weight 4: ipvsadm shows it" 4 \
	"$(ipvs_weight "TCP $VIP:25" "$RIP2:25")"
ipvs -E -t "$VIP:25" -s wlc -p 120
ktap_eq "ipvsadm -E -s wlc -p 120: lvsadm shows it" \
	"TCP $VIP:25 wlc persistent 120" "$(table | grep "^TCP $VIP:25 ")"
ipvs --set 100 20 30
ktap_eq "ipvsadm --set 100 20 30: lvsadm --timeout shows it" \
	"Timeout (tcp tcpfin udp): 100 20 30" "$(adm -L --timeout)"
adm --set 900 120 300
ktap_eq "lvsadm --set 900 120 300: ipvsadm --timeout shows it" \
	"Timeout (tcp tcpfin udp): 900 120 300" "$(ipvs -L --timeout)"

# Scheduler flags are IPVS's SCHED1 (fallback) and SCHED2 (port) bits.
ipvs -A -t "$VIP:27" -s sh -b sh-fallback,sh-port
ktap_eq "ipvsadm -A -s sh -b sh-fallback,sh-port: lvsadm shows it" \
	"TCP $VIP:27 sh (sh-fallback,sh-port)" "$(table | grep "^TCP $VIP:27 ")"
adm -E -t "$VIP:27" -s mh -b mh-port
ktap_eq "lvsadm -E -s mh -b mh-port: ipvsadm shows it" \
	"TCP $VIP:27 mh (mh-port)" \
	"$(ipvs -ln | awk -v s="$VIP:27" '$2 == s { $1 = $1; print }')"
ktap_eq "ipvsadm -Sn and lvsadm -Sn write the same -b rule" \
	"-A -t $VIP:27 -s mh -b mh-port
-A -t $VIP:27 -s mh -b mh-port" \
	"$(ipvs -Sn | grep -F -- "-t $VIP:27 "; adm -Sn | grep -F -- "-t $VIP:27 ")"
ipvs -D -t "$VIP:27"

# ---------------------------------------- long listings: dump parts

{
	for p in $(seq 1000 1059); do
		echo "-A -t $VIP:$p -s rr"
		echo "-a -t $VIP:$p -r $RIP1 -g"
	done
	echo "-A -u $VIP:2000 -s rr"
	for i in $(seq 1 60); do
		echo "-a -u $VIP:2000 -r 198.51.100.$i -g"
	done
} >"$LVS_WORK/many"
ipvs -R <"$LVS_WORK/many"
ktap_eq "ipvsadm -R: 66 services and 128 real servers listed, over several dump parts" \
	"66 128" \
	"$(ipvs -ln | grep -cE '^(TCP|UDP|FWM)') $(ipvs -ln | grep -c '^  -> [0-9[]')"
same_listing "... and lvsadm lists the same" -ln
{
	for p in $(seq 1000 1059); do
		echo "-D -t $VIP:$p"
	done
	echo "-D -u $VIP:2000"
} | ipvs -R

# ----------------------------------------------------------- refusals

ipvs_batch "-a -t $VIP:25 -r 192.0.2.9 -i --tun-type gue --tun-port 6080 --tun-csum" \
	"-a -t $VIP:25 -r 192.0.2.10 -i --tun-type gre"
ktap_eq "ipvsadm adds GUE and GRE real servers: lvsadm --tun-info lists them" \
	"gue:6080:+c gre:-c" \
	"$(adm -ln --tun-info | awk '$2 ~ /^192\.0\.2\.(9|10):/ { print $4 }' | xargs)"
ipvs_batch "-d -t $VIP:25 -r 192.0.2.9" "-d -t $VIP:25 -r 192.0.2.10"

before=$(ipvs -ln)
ipvs_fails "ipvsadm --start-daemon fails" \
	--start-daemon master --mcast-interface eth0
ipvs_fails "ipvsadm -L --daemon fails" -L --daemon
ipvs_fails "ipvsadm --pe sip fails" -A -t "$VIP:26" -s rr --pe sip
ipvs_fails "ipvsadm IPv6 tunnel real server for an IPv4 service fails" \
	-a -t "$VIP:25" -r "[$RIP6]:25" -i
ipvs_fails "ipvsadm flag-3 scheduler flag fails" -A -t "$VIP:26" -s sh -b flag-3
ktap_eq "the refused requests left the table as it was" "$before" \
	"$(ipvs -ln)"

ipvs_req daemon daemon-dump pe mixed ipv6-netmask sched-flags gue localnode \
	netmask no-sched output-attr not-nested tcp
refused "raw: sync daemon start" EOPNOTSUPP daemon
# 6.1 gives a dump's start callback no extack: the errno says it all.
ktap_eq "raw: sync daemon dump refused when it starts" EOPNOTSUPP \
	"$(answer daemon-dump | awk '{ print $1 }')"
refused "raw: persistence engine" ENOENT pe
refused "raw: IPv6 real server for an IPv4 service" EINVAL mixed
refused "raw: IPv6 prefix length 0" EINVAL ipv6-netmask
refused "raw: scheduler flag 3" EINVAL sched-flags
refused "raw: GUE tunnel without a port" EINVAL gue
refused "raw: local node forwarding" EINVAL localnode
refused "raw: non-contiguous netmask" EINVAL netmask
refused "raw: service entry without a scheduler" EINVAL no-sched
refused "raw: output-only attribute in a request" EINVAL output-attr
refused "raw: service nest without NLA_F_NESTED" EINVAL not-nested
ktap_eq "raw: a well-formed request is accepted" OK "$(answer tcp)"

# ----------------------------------------------------------- deletion

ipvs_batch "-D -t $VIP:26" "-d -t $VIP:25 -r $RIP1" "-D -t $VIP:80" \
	"-D -u $VIP:53" "-d -t [$VIP6]:80 -r [$RIP6]:80" "-D -t [$VIP6]:80"
ktap_eq "ipvsadm -d and -D: lvsadm lists what is left" \
	"TCP $VIP:25 wlc persistent 120
-> $RIP2:25 Route 4
FWM 7 lc persistent 600 mask 255.255.255.0
-> $RIP1:80 Route 1
-> $RIP2:0 Tunnel 1" "$(table)"
ipvs -C
ktap_eq "ipvsadm -C: lvsadm lists no service" 0 \
	"$(adm -ln | grep -cE '^(TCP|UDP|SCTP|FWM)')"

ipvs_batch "-A --sctp-service $VIP:5000 -s rr" \
	"-a --sctp-service $VIP:5000 -r $RIP1 -g"
ktap_eq "ipvsadm --sctp-service: lvsadm lists it, ipvsadm -Sn saves it" \
	"SCTP $VIP:5000 rr
-> $RIP1:5000 Route 1
-A --sctp-service $VIP:5000 -s rr" "$(table; ipvs -Sn | grep -- '^-A')"
ipvs -C

# ------------------------------------------- the kernel's own ip_vs

# ip_vs_first: with ip_vs loaded, ipvs_abi=1 must not load.
ip_vs_first()
{
	local out rc

	lvs_unload
	modprobe ip_vs || return 1
	out=$(modprobe ip_vs_lite ipvs_abi=1 2>&1)
	rc=$?
	echo "$out"
	[ "$rc" -ne 0 ] && ! mod_loaded ip_vs_lite
}

refusal_logged()
{
	dmesg_since_mark | grep -F 'ip_vs_lite: ipvs_abi=1: the generic netlink family "IPVS" is already registered'
}

if mod_available ip_vs; then
	ktap_check "ip_vs loaded first: modprobe ip_vs_lite ipvs_abi=1 fails" \
		ip_vs_first
	ktap_check "... with a dmesg line saying why" refusal_logged
	ktap_check "without the parameter, ip_vs_lite loads beside ip_vs; each keeps its own table" \
		side_by_side
else
	for d in "ip_vs loaded first: ipvs_abi=1 refused" \
		 "... with a dmesg line" "without the parameter, both load"; do
		ktap_skip "$d" "no ip_vs module for $(uname -r)"
	done
fi

dmesg_check
ktap_finish
