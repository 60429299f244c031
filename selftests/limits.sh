#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What one network namespace may take of the host: configuration is open
# to a user namespace's root, so services and real servers are bounded
# per netns (module parameters svc_max and dest_max), and what a netns
# allocates is charged to a memory cgroup: its services, real servers and
# counters to the cgroup of the process that configures them, its
# connections to that of the process that created the netns.
#  1. svc_max=3: a fourth service is refused, with the kernel's reason,
#     and the table is as it was; likewise dest_max=2;
#  2. a netns made by a process of a memory cgroup: 200 services of 5
#     real servers each, and 2,000 connections, show in the cgroup's
#     kernel memory (memory.stat: slab and percpu).
#
#   netns lim (root)                 netns of a shell in cgroup ipvl-lim
#   TCP 203.0.113.1:80..82           lo 203.0.113.5; 200 UDP services,
#                                    datagrams from 2,000 source ports
#                                    (raw, over lo) to 203.0.113.5:53

source "$(dirname "$0")/lib.sh"

PARAMS=/sys/module/$LVS_MOD/parameters
CG=/sys/fs/cgroup
OLD_SVC=
OLD_DEST=
CG_MOUNTED=0

cleanup()
{
	[ -n "$OLD_SVC" ] && echo "$OLD_SVC" >"$PARAMS/svc_max"
	[ -n "$OLD_DEST" ] && echo "$OLD_DEST" >"$PARAMS/dest_max"
	if [ -n "${HOLD_PID:-}" ]; then
		touch "$LVS_WORK/stop"
		wait "$HOLD_PID" 2>/dev/null
	fi
	rmdir "$CG/ipvl-lim" 2>/dev/null
	[ "$CG_MOUNTED" = 1 ] && umount "$CG"
	lvs_cleanup
}

lvs_test_begin 7 cleanup cmd_require python3 unshare
lvs_load || ktap_skip_all "cannot load $LVS_MOD"
[ -w "$PARAMS/svc_max" ] || ktap_skip_all "no svc_max parameter"
OLD_SVC=$(cat "$PARAMS/svc_max")
OLD_DEST=$(cat "$PARAMS/dest_max")
lvs_workdir
W=$LVS_WORK

# ---- 1. the bounds
setup_ns lim
lim() { ip netns exec lim "$ADM_BIN" "$@"; }
echo 3 >"$PARAMS/svc_max"
echo 2 >"$PARAMS/dest_max"
lim -A -t 203.0.113.1:80 -s rr && lim -A -t 203.0.113.1:81 -s rr &&
	lim -A -t 203.0.113.1:82 -s rr
ktap_result "svc_max=3: three services" $?
before=$(lim -Sn)
lim -A -t 203.0.113.1:83 -s rr 2>"$W/err"
rc=$?
[ $rc -ne 0 ] && grep -q 'svc_max' "$W/err" && [ "$(lim -Sn)" = "$before" ]
ktap_result "a fourth is refused, saying why ($(head -n1 "$W/err")), and nothing changes" $?

lim -a -t 203.0.113.1:80 -r 198.51.100.7 -g &&
	lim -a -t 203.0.113.1:81 -r 198.51.100.8 -g
ktap_result "dest_max=2: two real servers, in two services" $?
before=$(lim -Sn)
lim -a -t 203.0.113.1:82 -r 198.51.100.9 -g 2>"$W/err"
rc=$?
[ $rc -ne 0 ] && grep -q 'dest_max' "$W/err" && [ "$(lim -Sn)" = "$before" ]
ktap_result "a third is refused, saying why ($(head -n1 "$W/err")), and nothing changes" $?
echo "$OLD_SVC" >"$PARAMS/svc_max"
echo "$OLD_DEST" >"$PARAMS/dest_max"

# ---- 2. memory cgroup charges
cg_setup()
{
	if [ ! -e "$CG/cgroup.controllers" ]; then
		mount -t cgroup2 none "$CG" || return 1
		CG_MOUNTED=1
	fi
	grep -qw memory "$CG/cgroup.controllers" || return 1
	echo +memory >"$CG/cgroup.subtree_control" 2>/dev/null
	mkdir -p "$CG/ipvl-lim"
}

# kmem: slab and percpu bytes charged to the cgroup.
kmem()
{
	awk '$1 == "slab" || $1 == "percpu" { s += $2 } END { print s + 0 }' \
		"$CG/ipvl-lim/memory.stat"
}

awk 'BEGIN {
	for (i = 0; i < 200; i++) {
		printf "-A -u 203.0.113.5:%d -s rr\n", 1000 + i
		for (d = 1; d <= 5; d++)
			printf "-a -u 203.0.113.5:%d -r 198.51.100.%d -g\n", 1000 + i, d
	}
	print "-A -u 203.0.113.5:53 -s rr"
	print "-a -u 203.0.113.5:53 -r 198.51.100.9 -g"
}' >"$W/rules"

if cg_setup; then
	# A shell in the cgroup makes the netns and keeps it; it reports
	# each stage through files and waits for the next one's go.
	sh -c '
		echo $$ >"$1/ipvl-lim/cgroup.procs"
		exec unshare -n sh -c "
			ip link set lo up
			ip addr add 203.0.113.5/32 dev lo
			touch $2/netns
			while [ ! -e $2/go1 ]; do sleep 0.2; done
			$3 -R <$2/rules && touch $2/rules.done
			while [ ! -e $2/go2 ]; do sleep 0.2; done
			python3 -S $4 2000 && touch $2/conns.done
			while [ ! -e $2/stop ]; do sleep 0.2; done"' sh "$CG" "$W" "$ADM_BIN" "$W/udp_flows.py" &
	HOLD_PID=$!
	cat >"$W/udp_flows.py" <<-'PY'
	import socket, struct, sys
	s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
	for port in range(20000, 20000 + int(sys.argv[1])):
	    udp = struct.pack("!HHHH", port, 53, 9, 0) + b"x"
	    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 29, 0, 0, 64, 17, 0,
	                     socket.inet_aton("192.0.2.100"),
	                     socket.inet_aton("203.0.113.5"))
	    s.sendto(ip + udp, ("203.0.113.5", 0))
	PY
	wait_until 20 test -e "$W/netns"
	k0=$(kmem)
	touch "$W/go1"
	wait_until 60 test -e "$W/rules.done"
	k1=$(kmem)
	touch "$W/go2"
	wait_until 60 test -e "$W/conns.done"
	sleep 1 # the last datagrams cross lo in softirq
	k2=$(kmem)
	ktap_diag "cgroup kmem: $k0 bytes, after 200 services and 1,000 real servers $k1, after 2,000 connections $k2"
	[ $((k1 - k0)) -ge $((1000 * 200)) ]
	ktap_result "services and real servers are charged to the cgroup ($(((k1 - k0) / 1024)) KiB)" $?
	[ $((k2 - k1)) -ge $((2000 * 100)) ]
	ktap_result "connections are charged to the cgroup of the netns's creator ($(((k2 - k1) / 1024)) KiB)" $?
else
	ktap_skip "services charged to a memory cgroup" "no cgroup2 memory controller"
	ktap_skip "connections charged to a memory cgroup" "no cgroup2 memory controller"
fi

dmesg_check
ktap_finish
