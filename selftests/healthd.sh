#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lvs-healthd, the "Heart Beat" of the walk-through: it builds the table
# from its configuration, quiesces a real server whose HTTP check fails
# and restores it when it answers again, brings in a sorry server when
# every real server of a service is down, reloads on SIGHUP, re-applies
# the table after the module is reloaded, and stops on SIGTERM.
#
#      cli                dir                 rs1      rs2      rs3
#  192.0.2.100        192.0.2.6           .7       .8       .9
#       |          VIP 192.0.2.5 (eth0)    VIP on lo (DR real servers)
#       |          lvs-healthd runs here     |        |        |
#  =====+=================+=========br0======+========+========+=====
#
#  VIP:80 rr over rs1..rs3, check http /index.html, action quiesce
#  VIP:25 rr over rs1, rs2, check tcp, sorry server rs3

source "$(dirname "$0")/lib.sh"

lvs_test_begin 13 healthd_cleanup healthd_require

lvs_load || ktap_skip_all "cannot load $LVS_MOD"
lvs_topology 3 || { ktap_fail "topology"; ktap_finish; }

# wait_for SECS CMD...: wait_until, CMD's output dropped.
wait_for()
{
	wait_until "$@" >/dev/null 2>&1
}

weight_is()
{
	[ "$(dest_field "TCP $VIP:$1" "$2:$1" weight)" = "$3" ]
}

absent()
{
	[ -z "$(dest_field "TCP $VIP:$1" "$2:$1" weight)" ]
}

write_config()
{
	cat >"$LVS_WORK/hd.conf" <<-EOF
	# written by healthd.sh
	service tcp $VIP:80 scheduler rr
	  real $RIP1
	  real $RIP2
	  real $RIP3 weight $1
	  check http path /index.html status 200-299 interval 1 timeout 1 retries 2 rise 2
	  action quiesce
	service tcp $VIP:25 scheduler rr
	  real $RIP1
	  real $RIP2
	  check tcp interval 1 timeout 1 retries 2 rise 1
	  action remove
	  sorry $RIP3
	EOF
}

httpd_of() { echo "busybox httpd -f -p 80 -h $LVS_WORK/$1/www"; }
smtpd_of() { echo "busybox nc -ll -p 25 -e $LVS_WORK/$1/smtp"; }

lvs_workdir
write_config 1
ip netns exec "$DIR_NS" "$HEALTHD" -f "$LVS_WORK/hd.conf" \
	>"$LVS_WORK/hd.log" 2>&1 &
HD_PID=$!

wait_for 20 weight_is 80 "$RIP3" 1 && wait_for 10 weight_is 25 "$RIP2" 1
ktap_result "the table is built from the configuration" $?

# ---- a dead HTTP server is quiesced, traffic avoids it, it comes back
pkill -f "$(httpd_of rs2)"
wait_for 20 weight_is 80 "$RIP2" 0
ktap_result "rs2's http check fails: weight 0 (quiesced)" $?

seen=$(for i in 1 2 3 4 5 6; do http_get /index.html; done | sort -u | xargs)
ktap_eq "new requests avoid rs2" "rs1 rs3" "$seen"

lvs_bg ip netns exec rs2 $(httpd_of rs2)
wait_for 20 weight_is 80 "$RIP2" 1
ktap_result "rs2 answers again: weight 1 restored" $?

# ---- every real server of VIP:25 down: the sorry server takes over
pkill -f "$(smtpd_of rs1)"
pkill -f "$(smtpd_of rs2)"
wait_for 20 absent 25 "$RIP1" && wait_for 10 absent 25 "$RIP2"
ktap_result "dead tcp servers are removed (action remove)" $?
wait_for 10 weight_is 25 "$RIP3" 1
ktap_result "the sorry server is in while everything is down" $?
ktap_eq "a client reaches the sorry server" "rs3" "$(smtp_who)"

lvs_bg ip netns exec rs1 $(smtpd_of rs1)
wait_for 20 weight_is 25 "$RIP1" 1 && wait_for 10 absent 25 "$RIP3"
ktap_result "rs1 back: it returns and the sorry server steps back" $?

# ---- SIGHUP reloads the configuration
write_config 5
kill -HUP "$HD_PID"
wait_for 20 weight_is 80 "$RIP3" 5
ktap_result "SIGHUP: the new weight of rs3 is applied" $?

# ---- the module is reloaded: the table comes back
# (the daemon is paused so that it cannot re-add the services in between)
kill -STOP "$HD_PID"
adm -C
lvs_unload && modprobe "$LVS_MOD"
reloaded=$?
kill -CONT "$HD_PID"
[ $reloaded = 0 ] && wait_for 30 weight_is 80 "$RIP1" 1 &&
	wait_for 10 weight_is 25 "$RIP1" 1
ktap_result "after a module reload the table is re-applied" $?

# ---- SIGTERM: a clean exit
kill -TERM "$HD_PID"
wait_for 10 sh -c "! kill -0 $HD_PID"
rc=$?
wait "$HD_PID" 2>/dev/null
ktap_result "SIGTERM stops it" $((rc || $?))
HD_PID=

grep -q "quiesced" "$LVS_WORK/hd.log" && grep -q "sorry server" "$LVS_WORK/hd.log"
ktap_result "transitions are logged" $?
ktap_diag_file "$LVS_WORK/hd.log"

dmesg_check
ktap_finish
