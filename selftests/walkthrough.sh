#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The classic LVS/DR walk-through: an rr service on VIP:25 with two real
# servers, then a wlc service on VIP:80; replies must come from the real
# servers in turn, the listing must look exactly like ipvsadm's, and the
# connection counters must match the connections made.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)  VIP on lo     VIP on lo
#       |                 |                   |             |
#  =====+=================+=========br0=======+=============+=====
#
#  cli -> VIP:25 -> dir (rr, -g) -> rs1 | rs2 -> cli (directly)

source "$(dirname "$0")/lib.sh"

lvs_test_begin 17

SVC25="$VIP:25"
SVC80="$VIP:80"

lvs_load || { ktap_skip_all "cannot load $LVS_MOD"; }
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }

# ---- rr on port 25
ktap_check "add service TCP $SVC25 rr" adm -A -t "$SVC25" -s rr
ktap_check "add real server $RIP1 -g" adm -a -t "$SVC25" -r "$RIP1" -g
ktap_check "add real server $RIP2 -g" adm -a -t "$SVC25" -r "$RIP2" -g

seq4=$(smtp_seq 4)
case $seq4 in
"rs1 rs2 rs1 rs2" | "rs2 rs1 rs2 rs1") ktap_ok "rr alternates: $seq4" ;;
*) ktap_fail "rr alternates: $seq4" ;;
esac

# ---- listing, byte for byte as ipvsadm prints it
dest_line()
{
	printf '  -> %-28s %-7s %-6s %-10s %-10s' "$1" "$2" "$3" "$4" "$5"
}

adm -l >"$LVS_WORK/l" 2>&1
adm -ln >"$LVS_WORK/ln" 2>&1

hdr_ok=0
head -n1 "$LVS_WORK/l" |
	grep -Eqx 'IP Virtual Server version [0-9]+\.[0-9]+\.[0-9]+ \(size=4096\)' &&
	sed -n 2p "$LVS_WORK/l" | grep -Fqx 'Prot LocalAddress:Port Scheduler Flags' &&
	sed -n 3p "$LVS_WORK/l" |
	grep -Fqx '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn' &&
	hdr_ok=1
ktap_result "-l header lines" $((1 - hdr_ok))
[ $hdr_ok = 1 ] || ktap_diag_file "$LVS_WORK/l"

ktap_check "-l shows TCP $VIP:smtp rr and both real servers, Route 1 0 2" \
	has_lines "$LVS_WORK/l" "TCP  $VIP:smtp rr" \
	"$(dest_line "$RIP1:smtp" Route 1 0 2)" \
	"$(dest_line "$RIP2:smtp" Route 1 0 2)"
ktap_check "-ln shows TCP $SVC25 rr and both real servers, Route 1 0 2" \
	has_lines "$LVS_WORK/ln" "TCP  $SVC25 rr" \
	"$(dest_line "$RIP1:25" Route 1 0 2)" \
	"$(dest_line "$RIP2:25" Route 1 0 2)"
ktap_eq "-ln lists exactly one service and two real servers" "1 2" \
	"$(grep -c '^TCP' "$LVS_WORK/ln") $(grep -c '^  -> [0-9]' "$LVS_WORK/ln")"

# ---- a held connection counts as active, on the server that answered it
smtp_hold 20 "$LVS_WORK/held"
held=$(banner_of "$LVS_WORK/held")
case $held in
rs1) hrip=$RIP1; orip=$RIP2 ;;
rs2) hrip=$RIP2; orip=$RIP1 ;;
*) hrip=none; orip=none ;;
esac
ktap_eq "held connection: ActiveConn 1 on $held, 0 on the other" "1 2 0 2" \
	"$(dest_field "TCP $SVC25" "$hrip:25" active) \
$(dest_field "TCP $SVC25" "$hrip:25" inactive) \
$(dest_field "TCP $SVC25" "$orip:25" active) \
$(dest_field "TCP $SVC25" "$orip:25" inactive)"

# ---- wlc on port 80, HTTP
ktap_check "add service TCP $SVC80 wlc and two real servers" \
	adm_batch "-A -t $SVC80 -s wlc" "-a -t $SVC80 -r $RIP1 -g" \
	"-a -t $SVC80 -r $RIP2 -g"
adm -ln >"$LVS_WORK/ln.80" 2>&1
ktap_check "-ln shows TCP $SVC80 wlc" \
	has_lines "$LVS_WORK/ln.80" "TCP  $SVC80 wlc"

replies=
for _ in 1 2 3 4; do
	replies+="$(http_get /cgi-bin/who)
"
done
names=$(awk 'NF { print $1 }' <<<"$replies" | sort | uniq -c | awk '{ print $2 "=" $1 }' | xargs)
ktap_eq "wlc: 4 GETs reach rs1 and rs2 twice each" "rs1=2 rs2=2" "$names"
# DR forwards the client's packet as is: the server sees the client.
seen=$(awk 'NF { print $2 }' <<<"$replies" | sort -u | xargs)
case $seen in
*"$CIP"*) [ "$(wc -w <<<"$seen")" = 1 ] ;;
*) false ;;
esac
ktap_result "real servers see the client's address $CIP (got: $seen)" $?
# ---- counters of the closed HTTP connections
ktap_eq "wlc counters: rs1 and rs2 each ActiveConn 0 InActConn 2" \
	"0 2 0 2" \
	"$(dest_field "TCP $SVC80" "$RIP1:80" active) \
$(dest_field "TCP $SVC80" "$RIP1:80" inactive) \
$(dest_field "TCP $SVC80" "$RIP2:80" active) \
$(dest_field "TCP $SVC80" "$RIP2:80" inactive)"

ktap_eq "GET / answered by a real server" "1" \
	"$(http_get / | grep -cEx 'rs[12]')"

adm -C
ktap_eq "clear (-C) leaves no service" 0 "$(adm -ln | grep -c '^[TU][CD]P')"

dmesg_check
ktap_finish
