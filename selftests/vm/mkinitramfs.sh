#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs: busybox-static, the modules needed to
# mount a 9p root with an overlay (with their dependencies, in load
# order), and the init/stage2 scripts next to this file.
#
# usage: mkinitramfs.sh KDIR KVER OUT.cpio.gz

set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 KDIR KVER OUT" >&2; exit 2; }
KDIR=$1
KVER=$2
OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
BUSYBOX=/bin/busybox
MODS="virtio_pci 9pnet_virtio 9p overlay"

[ -x "$BUSYBOX" ] || { echo "$0: $BUSYBOX missing" >&2; exit 1; }
file -b "$BUSYBOX" 2>/dev/null | grep -q 'dynamically' &&
	{ echo "$0: $BUSYBOX is not static" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
cp "$BUSYBOX" "$tmp/bin/busybox"
for app in $("$BUSYBOX" --list); do
	[ "$app" = busybox ] || ln -sf busybox "$tmp/bin/$app"
done
cp "$HERE/init" "$tmp/init"
cp "$HERE/stage2" "$tmp/stage2"
chmod 755 "$tmp/init" "$tmp/stage2"

# modprobe --show-depends lists each module after its dependencies and
# says "builtin" for those compiled into the kernel, which need no file.
: >"$tmp/modules/load.order"
for m in $MODS; do
	modprobe -d "$KDIR" -S "$KVER" --show-depends "$m" |
		awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	name=$(basename "$ko")
	cp "$ko" "$tmp/modules/$name"
	echo "$name" >>"$tmp/modules/load.order"
done

mkdir -p "$(dirname "$OUT")"
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >"$OUT.tmp.$$"
mv "$OUT.tmp.$$" "$OUT"
