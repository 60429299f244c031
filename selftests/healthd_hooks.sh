#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lvs-healthd's on_up and on_down hooks, the way a director that
# announces its VIP (BGP with BIRD or FRR exporting a route) stops doing
# so while it has nothing to serve: here the hooks add and delete a
# blackhole route for the VIP in table 100, the kind of route a routing
# daemon exports. At start the service has healthy real servers, so
# on_up runs; with every web server dead, on_down withdraws the route;
# with one back, on_up announces it again and traffic flows. The hooks
# see the service in SVC_PROTO, SVC_ADDR, SVC_PORT and SVC_STATE.
#
#      cli                dir                 rs1           rs2
#  192.0.2.100        192.0.2.6           192.0.2.7     192.0.2.8
#       |          VIP 192.0.2.5 (eth0)   VIP on lo     VIP on lo
#       |          lvs-healthd, table 100      |             |
#  =====+=================+=========br0=======+=============+=====
#
#  TCP VIP:80 rr over rs1, rs2, check tcp, action remove

source "$(dirname "$0")/lib.sh"

lvs_test_begin 8 healthd_cleanup healthd_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 2 || { ktap_fail "topology"; ktap_finish; }
lvs_workdir

httpd_of() { echo "busybox httpd -f -p 80 -h $LVS_WORK/$1/www"; }

# announced: the VIP's route is in table 100.
announced()
{
	ip -n "$DIR_NS" route show table 100 | grep -q "^blackhole $VIP "
}

withdrawn()
{
	! announced
}

cat >"$LVS_WORK/hd.conf" <<EOF
service tcp $VIP:80 scheduler rr
  real $RIP1
  real $RIP2
  check tcp interval 1 timeout 1 retries 1 rise 1
  action remove
  on_up "ip route replace blackhole \$SVC_ADDR/32 table 100 && echo \$SVC_STATE \$SVC_PROTO \$SVC_ADDR \$SVC_PORT >>$LVS_WORK/hooks"
  on_down "ip route del blackhole \$SVC_ADDR/32 table 100 && echo \$SVC_STATE \$SVC_PROTO \$SVC_ADDR \$SVC_PORT >>$LVS_WORK/hooks"
EOF
ip netns exec "$DIR_NS" "$HEALTHD" -f "$LVS_WORK/hd.conf" \
	>"$LVS_WORK/hd.log" 2>&1 &
HD_PID=$!

ktap_check "at start, with healthy real servers: on_up announces the VIP" \
	wait_until 20 announced
ktap_eq "  and the hook saw the service" "up tcp $VIP 80" \
	"$(head -n1 "$LVS_WORK/hooks" 2>/dev/null)"

pkill -f "$(httpd_of rs1)"
pkill -f "$(httpd_of rs2)"
ktap_check "every web server dead: on_down withdraws the VIP" \
	wait_until 20 withdrawn
ktap_eq "  once, with SVC_STATE down" "down tcp $VIP 80" \
	"$(sed -n 2p "$LVS_WORK/hooks")"

lvs_bg ip netns exec rs2 $(httpd_of rs2)
ktap_check "rs2 back: on_up announces the VIP again" wait_until 20 announced
ktap_eq "  and a client gets rs2's page" rs2 "$(http_get /index.html)"
ktap_eq "three hook runs in all: up, down, up" "up down up" \
	"$(awk '{ print $1 }' "$LVS_WORK/hooks" | xargs)" ||
	ktap_diag_file "$LVS_WORK/hd.log"

dmesg_check
ktap_finish
