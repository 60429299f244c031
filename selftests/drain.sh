#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Taking real servers out, gracefully or not, and clients that come back:
#  - lvsadm -d --drain: the real server gets no new connections, its
#    established one carries on, it stays listed (weight 0, "draining")
#    and is deleted once its last connection has gone; the
#    drain_on_delete sysctl does the same for a plain -d;
#  - a plain -d cuts: the next segment of a connection to the deleted
#    server ends it (expire_nodest_conn), a UDP flow is rescheduled on its
#    very next datagram;
#  - a SYN from a reused client port (conn_reuse_mode) is scheduled
#    afresh at once, without the SYN being dropped: after a reset
#    (bit 0) and after a FIN (bit 1); 0 keeps the old real server;
#  - a persistence template to a quiesced real server is dropped
#    (expire_quiescent_template 1) or kept (0);
#  - an ICMP error about a flow the director has no entry for is
#    scheduled with the flow (schedule_icmp 1), or left alone (0).
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  VIP:7 (echo), VIP:25 (banner), VIP:53/udp, all rr, direct routing

source "$(dirname "$0")/lib.sh"

drain_require()
{
	[ "$LVS_MOD" = ip_vs_lite ] || ktap_skip_all "lvsadm --drain and ip_vs_lite's sysctls"
}

lvs_test_begin 29 lvs_cleanup drain_require

PEER=(python3 -S "$LIB_DIR/peer.py")
S7=$VIP:7
S25=$VIP:25
S53=$VIP:53
SYSCTL=net.ipv4.vs_lite

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }

vs_sysctl()
{
	ip netns exec "$DIR_NS" sysctl -qw "$SYSCTL.$1=$2"
}

# An echo service on port 7 that names the real server in every line.
for ns in rs1 rs2; do
	cat >"$LVS_WORK/$ns/echo" <<-EOF
	#!/bin/sh
	while read -r l; do echo "$ns \$l"; done
	EOF
	chmod +x "$LVS_WORK/$ns/echo"
	lvs_bg ip netns exec "$ns" busybox nc -ll -p 7 -e "$LVS_WORK/$ns/echo"
	lvs_bg ip netns exec "$ns" "${PEER[@]}" udp-serve "$ns" 53 "$VIP"
done
for ns in rs1 rs2; do
	wait_listen "$ns" 7 && wait_udp "$ns" 53 ||
		{ ktap_fail "echo and udp servers"; ktap_finish; }
done

# echo_seq N: N short echo connections; the servers that answered.
echo_seq()
{
	ip netns exec cli sh -c '
		i=0
		while [ $i -lt $1 ]; do
			w=$(echo hi | timeout 10 busybox nc -w 2 "$2" 7 2>/dev/null |
			    awk "NR == 1 { print \$1 }")
			printf "%s " "${w:-none}"
			i=$((i + 1))
		done' sh "$1" "$VIP" | sed 's/ $//'
}

# ticks_from FILE: the servers that answered the ticks in FILE.
ticks_from()
{
	awk '{ print $1 }' "$1" | sort -u | xargs
}

listed()
{
	adm -ln | awk -v s="$1" '/^(TCP|UDP)/ { cur = $2 }
		$1 == "->" && cur == s { print $2 }' | grep -qx "$2"
}

tcp_retrans()
{
	ip netns exec cli awk '$1 == "Tcp:" && $13 ~ /^[0-9]+$/ { print $13 }' \
		/proc/net/snmp
}

ktap_check "services VIP:7, VIP:25, VIP:53/udp (rr) with rs1 and rs2" \
	adm_batch "-A -t $S7 -s rr" "-a -t $S7 -r $RIP1 -g" \
	"-a -t $S7 -r $RIP2 -g" "-A -t $S25 -s rr" "-a -t $S25 -r $RIP1 -g" \
	"-a -t $S25 -r $RIP2 -g" "-A -u $S53 -s rr" "-a -u $S53 -r $RIP1 -g" \
	"-a -u $S53 -r $RIP2 -g" "--set 900 2 300"

# ---- graceful drain
ticks=$LVS_WORK/ticks.drain
lvs_bg ip netns exec cli "${PEER[@]}" tcp-ticks "$VIP" 7 10 "$ticks"
wait_until 15 test -s "$ticks"
held=$(ticks_from "$ticks")
other=$(rs_other "$held")
hrip=$(rs_rip "$held")
ktap_check "a long connection is answered by one real server ($held)" \
	test "$held" = rs1 -o "$held" = rs2
ktap_check "-d $held --drain" adm -d -t "$S7" -r "$hrip" --drain
at_drain=$(wc -l <"$ticks")
ktap_eq "draining $held is still listed, weight 0" "$hrip:7 0" \
	"$(adm -ln | awk -v r="$hrip:7" '$2 == r { print $2, $4 }' | head -n1)"
adm -ln --json >"$LVS_WORK/json" 2>&1
ktap_check "--json shows it draining" grep -q '"draining": *true' "$LVS_WORK/json"
ktap_eq "new connections all go to $other" "$other $other $other $other" \
	"$(echo_seq 4)"
ktap_check "-a of the draining server is refused" \
	sh -c "! ip netns exec $DIR_NS '$ADM_BIN' -a -t $S7 -r $hrip -g 2>$LVS_WORK/err"
ktap_check "  with the kernel's message" grep -q draining "$LVS_WORK/err"
wait_until 25 grep -q '^lost' "$ticks"
ktap_eq "the drained connection carried on to its end, no tick lost" \
	"$held" "$(ticks_from "$ticks")"
ktap_check "  and it answered after the drain began" \
	test "$(wc -l <"$ticks")" -gt $((at_drain + 2))
ktap_check "$held is deleted once its connection has gone" \
	wait_until 30 sh -c "! ip netns exec $DIR_NS '$ADM_BIN' -ln | grep -q ' $hrip:7 '"

# ---- a plain -d cuts
ktap_check "-a $held back" adm -a -t "$S7" -r "$hrip" -g
ticks=$LVS_WORK/ticks.cut
lvs_bg ip netns exec cli "${PEER[@]}" tcp-ticks "$VIP" 7 20 "$ticks"
wait_until 15 test -s "$ticks"
cut=$(ticks_from "$ticks")
ktap_check "-d $cut, no drain" adm -d -t "$S7" -r "$(rs_rip "$cut")"
ktap_check "its connection is cut" wait_until 15 grep -q '^lost' "$ticks"
ktap_check "  and the server is gone from the table" \
	sh -c "! ip netns exec $DIR_NS '$ADM_BIN' -ln | grep -q ' $(rs_rip "$cut"):7 '"
adm -a -t "$S7" -r "$(rs_rip "$cut")" -g

# ---- drain_on_delete
vs_sysctl drain_on_delete 1
ticks=$LVS_WORK/ticks.sysctl
lvs_bg ip netns exec cli "${PEER[@]}" tcp-ticks "$VIP" 7 4 "$ticks"
wait_until 15 test -s "$ticks"
d=$(ticks_from "$ticks")
adm -d -t "$S7" -r "$(rs_rip "$d")"
ktap_check "drain_on_delete=1: a plain -d drains $d" listed "$S7" "$(rs_rip "$d"):7"
wait_until 15 grep -q '^lost' "$ticks"
ktap_eq "  and its connection carries on" "$d" "$(ticks_from "$ticks")"
vs_sysctl drain_on_delete 0

# ---- UDP to a deleted server
first=$(ip netns exec cli "${PEER[@]}" udp-flows "$VIP" 4053:53 | awk '{ print $1 }')
adm -d -u "$S53" -r "$(rs_rip "$first")"
ktap_eq "a UDP flow to a deleted server: the next datagram is answered by the other" \
	"$(rs_other "$first")" \
	"$(ip netns exec cli "${PEER[@]}" udp-flows "$VIP" 4053:53 | awk '{ print $1 }')"

# ---- conn_reuse_mode
r0=$(tcp_retrans)
got=$(ip netns exec cli "${PEER[@]}" tcp-reuse "$VIP" 25 4025 2 rst)
ktap_check "reused port after a reset: rescheduled ($got)" \
	test "${got% *}" != "${got#* }" -a "${got#* }" != none
ktap_eq "  and no SYN was retransmitted" "$r0" "$(tcp_retrans)"
ip netns exec cli sysctl -qw net.ipv4.tcp_tw_reuse=1
r0=$(tcp_retrans)
got=$(ip netns exec cli "${PEER[@]}" tcp-reuse "$VIP" 25 4026 2 fin)
ktap_check "reused port after a FIN (TIME_WAIT reuse): rescheduled ($got)" \
	test "${got% *}" != "${got#* }" -a "${got#* }" != none
ktap_eq "  and no SYN was retransmitted" "$r0" "$(tcp_retrans)"
vs_sysctl conn_reuse_mode 1
got=$(ip netns exec cli "${PEER[@]}" tcp-reuse "$VIP" 25 4027 2 fin)
ktap_check "conn_reuse_mode=1: after a FIN the same server ($got)" \
	test "${got% *}" = "${got#* }" -a "${got#* }" != none
vs_sysctl conn_reuse_mode 0
got=$(ip netns exec cli "${PEER[@]}" tcp-reuse "$VIP" 25 4028 2 rst)
ktap_check "conn_reuse_mode=0: after a reset the same server ($got)" \
	test "${got% *}" = "${got#* }" -a "${got#* }" != none
vs_sysctl conn_reuse_mode 3

# ---- expire_quiescent_template
adm -E -t "$S25" -s rr -p 60
p=$(smtp_who)
adm -e -t "$S25" -r "$(rs_rip "$p")" -g -w 0
ktap_eq "persistent client, its server quiesced: rescheduled" \
	"$(rs_other "$p")" "$(smtp_who)"
vs_sysctl expire_quiescent_template 0
adm -e -t "$S25" -r "$(rs_rip "$p")" -g -w 1
q=$(rs_other "$p")
adm -e -t "$S25" -r "$(rs_rip "$q")" -g -w 0
ktap_eq "expire_quiescent_template=0: it keeps its quiesced server" \
	"$q" "$(smtp_who)"

# ---- schedule_icmp: an error about a flow this director never saw
ip netns exec cli "${PEER[@]}" icmp-quote "$VIP" "$VIP" 53 "$CIP" 4061
ktap_check "schedule_icmp=0: an ICMP error about an unknown flow makes no entry" \
	sh -c "! ip netns exec $DIR_NS '$ADM_BIN' -lnc | grep -q ' $CIP:4061 '"
vs_sysctl schedule_icmp 1
ip netns exec cli "${PEER[@]}" icmp-quote "$VIP" "$VIP" 53 "$CIP" 4062
ktap_check "schedule_icmp=1: the flow is scheduled for it" \
	sh -c "ip netns exec $DIR_NS '$ADM_BIN' -lnc | grep -q '^UDP .* $CIP:4062 '"

dmesg_check
ktap_finish
