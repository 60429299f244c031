#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rest of ipvsadm's service model, proven with real traffic:
# persistence (with and without a -M netmask), firewall-mark services,
# upper connection thresholds, one-packet UDP scheduling, editing a real
# server under an established connection, and -S/-R with all-or-nothing
# restore.
#
#      cli, cli2             dir                 rs1           rs2
#  192.0.2.100/.101      192.0.2.6           192.0.2.7     192.0.2.8
#       |            VIP 192.0.2.5 (eth0)   VIP on lo     VIP on lo
#       |                   |                   |             |
#  =====+===================+=========br0=======+=============+=====

source "$(dirname "$0")/lib.sh"

lvs_test_begin 26 lvs_cleanup cmd_require python3

CIP2=192.0.2.101
SVC25="$VIP:25"
ECHO_PORT=7
UDP_PORT=5300

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
if ! { setup_ns cli2 && seg_attach cli2 "$CIP2"; }; then
	ktap_fail "second client"
	ktap_finish
fi
for m in rr wrr; do
	mod_loaded "$(sched_mod $m)" || modprobe "$(sched_mod $m)" 2>/dev/null
done

# ---------------------------------------------------------------- peers

# Small TCP and UDP peers: every answer starts with the server's name.
cat >"$LVS_WORK/peer.py" <<'EOF'
import socket, socketserver, sys, threading, time

def echo_serve(name, port):
    class H(socketserver.StreamRequestHandler):
        def handle(self):
            for line in self.rfile:
                self.wfile.write(("%s %s" % (name, line.decode())).encode())
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer(("0.0.0.0", int(port)), H).serve_forever()

def udp_serve(name, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(port)))
    while True:
        _, peer = s.recvfrom(2048)
        s.sendto(name.encode(), peer)

# N datagrams from one socket: the names of the servers that answered.
def udp_one_socket(host, port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    out = []
    for i in range(int(n)):
        s.sendto(b"x", (host, int(port)))
        try:
            out.append(s.recvfrom(2048)[0].decode())
        except socket.timeout:
            out.append("timeout")
        time.sleep(0.2)
    print(" ".join(out))

# One connection: a line, a pause of SECS (the test edits meanwhile),
# another line; prints both answers.
def echo_hold(host, port, secs):
    c = socket.create_connection((host, int(port)), timeout=5)
    f = c.makefile("rw")
    f.write("one\n"); f.flush()
    a = f.readline().strip()
    print(a, flush=True)
    time.sleep(float(secs))
    f.write("two\n"); f.flush()
    print(f.readline().strip() or "closed", flush=True)

{"echo-serve": echo_serve, "udp-serve": udp_serve,
 "udp-one-socket": udp_one_socket, "echo-hold": echo_hold}[sys.argv[1]](*sys.argv[2:])
EOF
for i in 1 2; do
	lvs_bg ip netns exec "rs$i" python3 "$LVS_WORK/peer.py" echo-serve "rs$i" $ECHO_PORT
	lvs_bg ip netns exec "rs$i" python3 "$LVS_WORK/peer.py" udp-serve "rs$i" $UDP_PORT
done
for i in 1 2; do
	wait_listen "rs$i" $ECHO_PORT || { ktap_fail "echo servers"; ktap_finish; }
done

# who_from NS [PORT]: the real server answering a connection from NS.
who_from()
{
	local ns=$1 port=${2:-25} who

	who=$(ip netns exec "$ns" timeout 5 busybox nc -w 2 "$VIP" "$port" \
	      </dev/null 2>/dev/null | awk 'NR == 1 { print $2 }')
	echo "${who:-none}"
}

all_same()
{
	[ "$(tr ' ' '\n' <<<"$1" | sort -u | wc -l)" = 1 ] && [ "${1%% *}" != none ]
}

# ---------------------------------------------------------- persistence

adm_batch "-A -t $SVC25 -s rr -p 60" "-a -t $SVC25 -r $RIP1 -g" \
	"-a -t $SVC25 -r $RIP2 -g" >/dev/null 2>&1
adm -ln >"$LVS_WORK/p.ln" 2>&1
ktap_check "-ln shows the service persistent 60" \
	grep -Fqx "TCP  $SVC25 rr persistent 60" "$LVS_WORK/p.ln"

seq4=$(smtp_seq 4)
all_same "$seq4"
ktap_result "persistent rr: one client keeps its server ($seq4)" $?
first=${seq4%% *}

adm -lnc >"$LVS_WORK/p.lnc" 2>&1
grep -Eq "^TCP [0-9]{2}:[0-9]{2}  NONE +$CIP:0 +$SVC25 +192\.0\.2\.[78]:25$" \
	"$LVS_WORK/p.lnc"
rc=$?
ktap_result "-lnc shows the persistence template of $CIP" $rc
[ $rc -ne 0 ] && ktap_diag_file "$LVS_WORK/p.lnc"

other=$(who_from cli2)
case $first/$other in
rs1/rs2 | rs2/rs1) ktap_ok "/32: a second client gets the other server ($first, $other)" ;;
*) ktap_fail "/32: a second client gets the other server ($first, $other)" ;;
esac

# The same with -M 255.255.255.0: both clients are one group.
adm -D -t "$SVC25"
adm_batch "-A -t $SVC25 -s rr -p 60 -M 255.255.255.0" \
	"-a -t $SVC25 -r $RIP1 -g" "-a -t $SVC25 -r $RIP2 -g" >/dev/null 2>&1
ktap_eq "-ln shows mask 255.255.255.0" \
	"TCP  $SVC25 rr persistent 60 mask 255.255.255.0" \
	"$(adm -ln | grep "^TCP  $SVC25")"
a=$(who_from cli)
b=$(who_from cli2)
c=$(who_from cli2)
d=$(who_from cli)
all_same "$a $b $c $d"
ktap_result "-M /24: $CIP and $CIP2 share one server ($a $b $c $d)" $?
ktap_eq "-S writes -p 60 -M 255.255.255.0" \
	"-A -t $SVC25 -s rr -p 60 -M 255.255.255.0" \
	"$(adm -Sn | grep "^-A -t $SVC25")"
adm -C

# ------------------------------------------------------ firewall marks

if command -v nft >/dev/null; then
	ip netns exec "$DIR_NS" nft -f - <<-EOF
	table ip ipvl_test {
		chain pre {
			type filter hook prerouting priority mangle; policy accept;
			ip daddr $VIP tcp dport 25 meta mark set 1
		}
	}
	EOF
	adm_batch "-A -f 1 -s rr" "-a -f 1 -r $RIP1 -g" "-a -f 1 -r $RIP2 -g" \
		>/dev/null 2>&1
	ktap_eq "-ln lists FWM  1 rr with real servers on port 0" \
		"FWM 1 rr|$RIP1:0|$RIP2:0" \
		"$(adm -ln | awk '/^FWM/ { printf "%s %s %s", $1, $2, $3 } $1 == "->" && $2 ~ /^192/ { printf "|%s", $2 }')"
	seq4=$(smtp_seq 4)
	case $seq4 in
	"rs1 rs2 rs1 rs2" | "rs2 rs1 rs2 rs1") ktap_ok "marked traffic reaches both real servers ($seq4)" ;;
	*) ktap_fail "marked traffic reaches both real servers ($seq4)" ;;
	esac
	ktap_eq "-S writes the fwmark rules" \
		"-A -f 1 -s rr|-a -f 1 -r $RIP1:0 -g -w 1|-a -f 1 -r $RIP2:0 -g -w 1" \
		"$(adm -Sn | paste -sd'|')"
	fwm_conns() { adm -ln --stats | awk '$1 == "FWM" { print $3 }'; }
	if adm -Z -f 2 >/dev/null 2>&1; then zrc=0; else zrc=1; fi
	ktap_eq "-Z -f 2 (no such service) fails and zeroes nothing" \
		"1 4" "$zrc $(fwm_conns)"
	adm -Z -f 1
	ktap_eq "-Z -f 1 zeroes the mark's counters" "0" "$(fwm_conns)"
	ip netns exec "$DIR_NS" nft delete table ip ipvl_test
	adm -C
else
	for t in "-ln lists FWM" "marked traffic" "-S fwmark rules" \
		"-Z -f 2" "-Z -f 1"; do
		ktap_skip "$t" "nft missing"
	done
fi

# ----------------------------------------------------------- thresholds

# wrr with weights 100:1 sends everything to rs1 until it is full.
adm_batch "-A -t $SVC25 -s wrr" "-a -t $SVC25 -r $RIP1 -g -w 100 -x 2" \
	"-a -t $SVC25 -r $RIP2 -g -w 1" >/dev/null 2>&1
ktap_eq "--thresholds shows Uthreshold 2 on $RIP1" "2 0" \
	"$(adm -ln --thresholds | awk -v r="$RIP1:25" '$2 == r { print $3, $4 }')"
# two_held: true once both held connections have their banner; the
# servers named so far go to held.
two_held()
{
	held=$(cat "$LVS_WORK/h1" "$LVS_WORK/h2" 2>/dev/null | awk '{ print $2 }' | xargs)
	[ "$(wc -w <<<"$held")" = 2 ]
}
smtp_hold 30 "$LVS_WORK/h1"
smtp_hold 30 "$LVS_WORK/h2"
held=
wait_until 10 two_held
ktap_eq "two held connections go to $RIP1" "rs1 rs1" "$held"
third=$(smtp_who)
ktap_eq "the third goes elsewhere: $RIP1 is at its threshold" rs2 "$third"
adm -C
kill "${LVS_BG_PIDS[@]: -2}" 2>/dev/null

# ------------------------------------------------- one-packet scheduling

udp_seq()
{
	ip netns exec cli python3 "$LVS_WORK/peer.py" udp-one-socket "$VIP" $UDP_PORT "$1"
}

# -o first: a connection entry left by the plain service would outlive it.
adm_batch "-A -u $VIP:$UDP_PORT -s rr -o" "-a -u $VIP:$UDP_PORT -r $RIP1 -g" \
	"-a -u $VIP:$UDP_PORT -r $RIP2 -g" >/dev/null 2>&1
ktap_eq "-ln shows ops" "UDP  $VIP:$UDP_PORT rr ops" \
	"$(adm -ln | grep "^UDP")"
seq4=$(udp_seq 4)
case $seq4 in
"rs1 rs2 rs1 rs2" | "rs2 rs1 rs2 rs1") ktap_ok "-o: datagrams of one socket alternate ($seq4)" ;;
*) ktap_fail "-o: datagrams of one socket alternate ($seq4)" ;;
esac
adm -lnc >"$LVS_WORK/o.lnc" 2>&1
ktap_eq "-o: no UDP entry in -lnc" 0 "$(grep -c '^UDP' "$LVS_WORK/o.lnc")" ||
	ktap_diag_file "$LVS_WORK/o.lnc"
adm -C

adm_batch "-A -u $VIP:$UDP_PORT -s rr" "-a -u $VIP:$UDP_PORT -r $RIP1 -g" \
	"-a -u $VIP:$UDP_PORT -r $RIP2 -g" >/dev/null 2>&1
seq4=$(udp_seq 4)
all_same "$seq4"
ktap_result "without -o: one socket sticks to one server ($seq4)" $?
adm -C

# ------------------------------------------- edits keep connections

adm_batch "-A -t $VIP:$ECHO_PORT -s rr" "-a -t $VIP:$ECHO_PORT -r $RIP1 -g" \
	>/dev/null 2>&1
ip netns exec cli python3 "$LVS_WORK/peer.py" echo-hold "$VIP" $ECHO_PORT 4 \
	>"$LVS_WORK/hold" 2>&1 &
hold_pid=$!
wait_until 5 files_written "$LVS_WORK/hold"
adm -e -t "$VIP:$ECHO_PORT" -r "$RIP1" -g -w 5
edit_rc=$?
wait "$hold_pid"
ktap_eq "-e -w 5 under an established connection: it keeps working" \
	"0 rs1 one|rs1 two|5" \
	"$edit_rc $(paste -sd'|' "$LVS_WORK/hold")|$(dest_field "TCP $VIP:$ECHO_PORT" "$RIP1:$ECHO_PORT" weight)"
adm -C

# ------------------------------------------------------ save and restore

rules="-A -t $SVC25 -s rr -p 300 -M 255.255.255.0
-a -t $SVC25 -r $RIP1:25 -g -w 1 -x 10 -y 5
-a -t $SVC25 -r $RIP2:25 -g -w 2
-A -u $VIP:$UDP_PORT -s rr -o
-a -u $VIP:$UDP_PORT -r $RIP1:$UDP_PORT -g -w 1
-A -f 1 -s wrr
-a -f 1 -r $RIP2:0 -g -w 3"
ktap_check "-R of every kind of rule" adm -R <<<"$rules"
ktap_eq "-S gives the same rules back" "$rules" "$(adm -Sn)"
adm -ln >"$LVS_WORK/before"
bad="-E -t $SVC25 -s wrr
-a -u $VIP:$UDP_PORT -r $RIP2 -g
-d -t $SVC25 -r $RIP1
-D -f 1
-A -t $VIP:80 -s rr
-a -t $SVC25 -r $RIP2:25 -g
-A -t $VIP:81 -s rr"
out=$(adm -R <<<"$bad" 2>&1)
rc=$?
ktap_eq "-R stops at the refused line and names it" \
	"1 lvsadm: line 6: Real server already exists" "$rc $out"
adm -ln >"$LVS_WORK/after"
ktap_check "all or nothing: the table is as before the failed -R" \
	diff -u "$LVS_WORK/before" "$LVS_WORK/after"
out=$(printf '%s\n' "-A -t $VIP:82 -s rr" "-a -t $VIP:82 -r $RIP1 -w x" |
      adm -R 2>&1)
ktap_eq "a syntax error names its line and changes nothing" \
	"lvsadm: line 2: illegal weight specified (\`x' is not in 0..65535)|$(cat "$LVS_WORK/before")" \
	"$out|$(adm -ln)"
adm -C

dmesg_check
ktap_finish
