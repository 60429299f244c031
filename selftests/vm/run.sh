#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command inside a throw-away qemu VM booted on the Debian kernel
# that matches linux-headers-amd64. The guest sees the host's / read-only
# (with a tmpfs overlay on top, so it may write anywhere), the project's
# built modules in /lib/modules/$KVER/extra, and starts CMD in the
# repository's directory. The console is streamed to stdout; the exit
# code is CMD's.
#
# usage: run.sh [--smp N] [--mem MiB] [--timeout SEC] [--verbose] -- CMD...
#
# Environment variables named in VM_PASS_ENV (default: ADM LVS_MOD
# SCHED_PREFIX TESTS VERBOSE FUZZ_COUNT FLOOD_COUNT UNLOAD_COUNT
# MALFORMED_COUNT TEST_TIMEOUT) are passed on to CMD. VM_BOOT_TIMEOUT
# (seconds, default 600) bounds the time from starting qemu to starting
# CMD; a guest stuck in boot is tried once more.
#
# Another kernel (the debug kernel of "make check-debug"): VM_KDIR names
# a directory holding boot/vmlinuz-<release> and lib/modules/<release>/,
# VM_MODDIR the tree whose ip_vs_lite/ and sched/ hold the project's
# modules built for it (default: the repository).

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VM_CACHE=${VM_CACHE:-$REPO/build/vm}
VM_PASS_ENV=${VM_PASS_ENV:-ADM LVS_MOD SCHED_PREFIX TESTS VERBOSE FUZZ_COUNT
FLOOD_COUNT UNLOAD_COUNT MALFORMED_COUNT TEST_TIMEOUT}
VM_MODDIR=${VM_MODDIR:-$REPO}
QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${VM_ACCEL:-tcg}

smp=2
mem=1024
tmo=2400
verbose=0

usage()
{
	echo "usage: $0 [--smp N] [--mem MiB] [--timeout SEC] [--verbose] -- CMD..." >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--verbose|-v) verbose=1; shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || usage

if [ -n "${VM_KDIR:-}" ]; then
	kdir=$(cd "$VM_KDIR" && pwd)
	kver=$(ls "$kdir/lib/modules")
	[ -n "$kver" ] && [ "$(wc -w <<<"$kver")" = 1 ] ||
		{ echo "vm: need exactly one kernel in $kdir/lib/modules" >&2; exit 1; }
else
	kdir=$("$HERE/deps.sh" | tail -n1)
	kver=${kdir##*/kernel-}
fi
vmlinuz=$kdir/boot/vmlinuz-$kver
initrd=$VM_CACHE/initramfs-$kver.cpio.gz

# Several VMs start at once ("make check", "make bench"): only one of
# them may (re)build the shared initramfs, and the others wait for it.
mkdir -p "$VM_CACHE"
exec 9>"$VM_CACHE/.initramfs.lock"
flock 9
stale=0
[ -f "$initrd" ] || stale=1
for f in "$HERE/init" "$HERE/stage2" "$HERE/mkinitramfs.sh"; do
	[ "$f" -nt "$initrd" ] && stale=1
done
# A kernel built here may be rebuilt under the same release name.
[ -n "${VM_KDIR:-}" ] && [ "$kdir/lib/modules/$kver/modules.dep" -nt "$initrd" ] &&
	stale=1
[ $stale = 1 ] && "$HERE/mkinitramfs.sh" "$kdir" "$kver" "$initrd"
exec 9>&-

share=$(mktemp -d "$VM_CACHE/share.XXXXXX")
qpid=
cleanup()
{
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$share"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The guest's /lib/modules/$KVER: the distribution's modules plus ours in
# extra/, indexed the way "make install" would leave them. depmod runs
# here because scanning the whole tree over 9p under TCG takes many
# seconds; natively it takes half a second.
mkmodtree()
{
	local dst=$share/modules/lib/modules/$kver src=$kdir/lib/modules/$kver
	local f ko n=0

	mkdir -p "$dst/extra"
	ln -s "$src/kernel" "$dst/kernel"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$src/$f" "$dst/$f"
	done
	for ko in "$VM_MODDIR"/ip_vs_lite/*.ko "$VM_MODDIR"/sched/*.ko; do
		[ -f "$ko" ] || continue
		cp "$ko" "$dst/extra/"
		n=$((n + 1))
	done
	depmod -b "$share/modules" "$kver"
	echo "vm: $n project module(s) in extra/" >&2
}
mkmodtree

{
	printf 'VM_REPO=%q\n' "$REPO"
	printf 'VM_KMODDIR=%q\n' "$share/modules/lib/modules/$kver"
	for v in $VM_PASS_ENV; do
		[ -n "${!v+set}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
} >"$share/env"
{
	printf 'cd %q || exit 1\n' "$PWD"
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$share/cmd"

# Boot the guest once; VERBOSE_BOOT=1 shows every kernel message. Returns
# 0 when qemu ended by itself, 1 on the overall timeout, 2 when the guest
# never got as far as starting CMD within the boot timeout.
boot()
{
	local append waited

	append="console=ttyS0 panic=-1 oops=panic_on_warn=0 rdinit=/init"
	append+=" mitigations=off tsc=reliable no_timer_check 8250.nr_uarts=1"
	append+=" i8042.noaux i8042.nokbd i8042.nopnp"
	if [ "$1" = 1 ]; then
		append+=" loglevel=7"
	else
		append+=" quiet loglevel=4"
	fi

	# stdin is not the console: the guest reads nothing, and a caller's
	# terminal is never left in raw mode. SeaBIOS is kept off the serial
	# line (sercon-port 0), so the console carries only the guest's
	# output.
	"$QEMU" -accel "$ACCEL" -nographic -no-reboot -nodefaults \
		-serial stdio -cpu max \
		-fw_cfg name=etc/sercon-port,string=0 -smp "$smp" -m "$mem" \
		-kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
		-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=root,mount_tag=root \
		-fsdev "local,id=share,path=$share,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=share,mount_tag=share \
		</dev/null 2> >(grep -v 'fw_cfg item names should be prefixed' >&2) &
	qpid=$!

	# Watch qemu ourselves rather than through timeout(1), so that the
	# pid killed on timeout or on our own termination is exactly qemu's.
	waited=0
	while kill -0 "$qpid" 2>/dev/null; do
		if [ $(($(date +%s) - start)) -ge "$tmo" ]; then
			kill "$qpid" 2>/dev/null
			wait "$qpid" 2>/dev/null
			qpid=
			return 1
		fi
		if [ ! -e "$share/started" ] && [ "$waited" -ge "$boot_tmo" ]; then
			kill "$qpid" 2>/dev/null
			wait "$qpid" 2>/dev/null
			qpid=
			return 2
		fi
		sleep 0.5
		waited=$((waited + 1))
	done
	wait "$qpid" 2>/dev/null
	qpid=
	return 0
}

# A guest that has not started CMD after this long is taken as stuck and
# booted once more, with the whole kernel log on the console.
boot_tmo=$((${VM_BOOT_TIMEOUT:-600} * 2))
start=$(date +%s)
tries=0
while :; do
	tries=$((tries + 1))
	status=0
	boot "$verbose" || status=$?
	[ $status = 2 ] && [ $tries -lt 2 ] || break
	echo "vm: guest did not start the command within $((boot_tmo / 2))s;" \
		"booting again with the full kernel log" >&2
	rm -f "$share/started"
	verbose=1
done

if [ -f "$share/rc" ]; then
	rc=$(cat "$share/rc")
else
	case $status in
	1) echo "vm: timed out after ${tmo}s" >&2 ;;
	2) echo "vm: guest did not start the command, giving up" >&2 ;;
	*) echo "vm: guest ended without a result" >&2 ;;
	esac
	rc=1
fi
echo "vm: $(($(date +%s) - start))s, exit code $rc" >&2
exit "$rc"
