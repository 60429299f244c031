#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the VM harness and the selftests need, and unpack the
# Debian kernel image matching linux-headers-amd64 into a cache so that
# modules built here can be loaded inside a qemu guest. Idempotent: a
# second run with everything in place does no network access.
#
# Prints the cache directory of the unpacked kernel on stdout (last line).
#
# Environment:
#   KVER       kernel version to use (default: from linux-headers-amd64)
#   VM_CACHE   cache root (default: <repo>/build/vm)

set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
VM_CACHE=${VM_CACHE:-$REPO/build/vm}

# curl: busybox-static's wget crashes in the guest; procps: sysctl;
# netbase: /etc/services for port names in listings; vsftpd: the FTP
# helper's real servers.
PKGS="qemu-system-x86 linux-headers-amd64 busybox-static kmod cpio iproute2
libmnl-dev pkg-config sparse ipvsadm gcc make curl procps netbase keepalived
nftables python3 ethtool vsftpd prometheus-node-exporter"

log() { echo "deps: $*" >&2; }

# shellcheck source=pkgs.sh
source "$(dirname "$0")/pkgs.sh"

fetch_kernel()
{
	local kdir=$1 tmp deb pkg

	# A cache swept by a stray clean is fetched again.
	[ -e "$kdir/.done" ] && [ -e "$kdir/lib/modules/$KVER/modules.order" ] &&
		[ -e "$kdir/boot/vmlinuz-$KVER" ] && return 0

	tmp=$(mktemp -d "$VM_CACHE/dl.XXXXXX")
	for pkg in "linux-image-$KVER" "linux-image-$KVER-unsigned"; do
		log "apt-get download $pkg"
		download_pkg "$tmp" "$pkg" && break
	done
	deb=$(ls "$tmp"/linux-image-*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		rm -rf "$tmp"
		die_pkgs download "linux-image-$KVER"
	fi

	rm -rf "$kdir"
	mkdir -p "$kdir"
	log "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$kdir"
	rm -rf "$tmp"
	depmod -b "$kdir" "$KVER"
	[ -r "$kdir/boot/vmlinuz-$KVER" ] || {
		log "no vmlinuz in $deb"
		return 1
	}
	touch "$kdir/.done"
}

main()
{
	local kdir

	# shellcheck disable=SC2086
	install_pkgs $PKGS
	KVER=${KVER:-$(discover_kver)}
	[ -n "$KVER" ] ||
		{ log "no kernel version: linux-headers-amd64 names none; set KVER=<release>"; exit 1; }
	mkdir -p "$VM_CACHE"
	kdir=$VM_CACHE/kernel-$KVER
	fetch_kernel "$kdir"
	echo "$kdir"
}

main "$@"
