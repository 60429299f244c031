#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a debug kernel for the test VM from Debian's own kernel source
# (the linux-source package of the version linux-headers-amd64 points
# at): x86_64 defconfig with kvm_guest.config, merged with
# selftests/config (what the selftests need) and selftests/config.debug
# (KASAN, kmemleak, lockdep, UBSAN and the rest of a small guest).
#
# Everything lives in a cache outside the repository:
#
#   $DEBUG_KCACHE/debug-<kver>/
#     linux-source-<x.y>/   the unpacked source, left untouched
#     obj/                  the build tree (O=); modules build against it
#     root/boot/vmlinuz-<release>, root/lib/modules/<release>/
#                           what selftests/vm/run.sh boots (VM_KDIR)
#     build-time            how long the build from scratch took
#
# Idempotent: once a build is complete for the current configuration
# fragments, a second run does nothing. Prints the cache directory on
# stdout (last line); everything else goes to stderr.
#
# usage: debug-kernel.sh [--configure-only]
#
# Environment:
#   KVER          Debian kernel version (default: from linux-headers-amd64)
#   DEBUG_KCACHE  cache root (default: /var/cache/ip_vs_lite)
#   JOBS          parallel build jobs (default: nproc)

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SELFTESTS=$(cd "$HERE/.." && pwd)
DEBUG_KCACHE=${DEBUG_KCACHE:-/var/cache/ip_vs_lite}
JOBS=${JOBS:-$(nproc)}
FRAGMENTS=("$SELFTESTS/config" "$SELFTESTS/config.debug")
PKGS="bc bison flex libelf-dev libssl-dev make gcc xz-utils kmod cpio"

configure_only=0
case ${1:-} in
--configure-only) configure_only=1 ;;
"") ;;
*) echo "usage: $0 [--configure-only]" >&2; exit 2 ;;
esac

log() { echo "debug-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=pkgs.sh
source "$(dirname "$0")/pkgs.sh"

# The source must be the very version of the kernel the normal VM
# boots, or the debug run would test something else.
check_source()
{
	local want have

	install_pkgs "$SRC_PKG"
	want=$(pkg_version linux-headers-amd64)
	have=$(pkg_version "$SRC_PKG")
	[ "$want" = "$have" ] ||
		die "$SRC_PKG is $have but linux-headers-amd64 is $want:" \
		    "apt-get install $SRC_PKG=$want"
	[ -r "$TARBALL" ] || die "$TARBALL missing"
}

# What decides the kernel that gets built: a change in a fragment or in
# the source package means a rebuild (an incremental one, in the same
# build tree). BUILD_FORMAT counts changes of this script that call for
# one too.
BUILD_FORMAT=1
build_id()
{
	cat "${FRAGMENTS[@]}" | sha256sum | cut -c1-16
	pkg_version "$SRC_PKG"
	echo "$BUILD_FORMAT"
}

unpack()
{
	[ -e "$SRC/.unpacked" ] && return 0
	log "unpacking $TARBALL into $DIR"
	rm -rf "$SRC" "$DIR/unpack.tmp"
	mkdir -p "$DIR/unpack.tmp"
	tar -C "$DIR/unpack.tmp" -xJf "$TARBALL"
	mv "$DIR/unpack.tmp/$(basename "$SRC")" "$SRC"
	rmdir "$DIR/unpack.tmp"
	touch "$SRC/.unpacked"
}

kmake()
{
	nice -n 10 make -s -C "$SRC" O="$OBJ" "$@" >&2
}

# expected_config: SYMBOL=VALUE for every line of the fragments, the
# last one winning; "# CONFIG_X is not set" reads as CONFIG_X=n.
expected_config()
{
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' \
	       "${FRAGMENTS[@]}" |
		awk -F= '{ v[$1] = substr($0, length($1) + 2) }
			 END { for (s in v) print s "=" v[s] }' | LC_ALL=C sort
}

# Fail loudly when olddefconfig dropped or changed anything asked for
# (an unmet dependency, a typo in a symbol name).
verify_config()
{
	local line sym want have bad=0

	while IFS= read -r line; do
		sym=${line%%=*}
		want=${line#*=}
		have=$(sed -n "s/^$sym=//p" "$OBJ/.config")
		[ -n "$have" ] || have=n
		if [ "$have" != "$want" ]; then
			log "$sym: asked for $want, got $have"
			bad=1
		fi
	done < <(expected_config)
	[ $bad = 0 ] || die "the configuration lacks what the fragments ask for"
	log "configuration verified: $(expected_config | wc -l) options as asked"
}

configure()
{
	mkdir -p "$OBJ"
	kmake x86_64_defconfig
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" \
		"$OBJ/.config" "$SRC/kernel/configs/kvm_guest.config" \
		"${FRAGMENTS[@]}" >"$OBJ/merge_config.log" 2>&1) ||
		{ cat "$OBJ/merge_config.log" >&2; die "merge_config.sh failed"; }
	kmake olddefconfig
	verify_config
}

# CPU time of this shell's finished children, in clock ticks.
child_ticks()
{
	awk '{ print $16 + $17 }' "/proc/$$/stat"
}

build()
{
	local start secs cpu0 cpu krel root=$DIR/root record=build-time

	# Only a build from scratch gives a figure worth keeping.
	[ -e "$OBJ/vmlinux" ] && record=rebuild-time
	start=$(date +%s)
	cpu0=$(child_ticks)
	log "building bzImage and modules with -j$JOBS at nice 10" \
	    "(about an hour on 2 idle CPUs)"
	kmake -j"$JOBS" bzImage modules
	cpu=$((($(child_ticks) - cpu0) / $(getconf CLK_TCK)))
	krel=$(cat "$OBJ/include/config/kernel.release")
	rm -rf "$root"
	mkdir -p "$root/boot"
	kmake INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 modules_install
	cp "$OBJ/arch/x86/boot/bzImage" "$root/boot/vmlinuz-$krel"
	cp "$OBJ/System.map" "$root/boot/System.map-$krel"
	cp "$OBJ/.config" "$root/boot/config-$krel"
	depmod -b "$root" "$krel"
	secs=$(($(date +%s) - start))
	printf '%s s (%d min) wall, %s s CPU, -j%s on %s CPUs, load %s, %s\n' \
		"$secs" $(((secs + 59) / 60)) "$cpu" "$JOBS" "$(nproc)" \
		"$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%d)" \
		>"$DIR/$record"
	log "kernel $krel built: $(cat "$DIR/$record")"
}

main()
{
	local id

	KVER=${KVER:-$(discover_kver)}
	[ -n "$KVER" ] || die "cannot determine KVER"
	SRC_PKG=linux-source-$(echo "$KVER" | cut -d. -f1,2)
	TARBALL=/usr/src/$SRC_PKG.tar.xz
	DIR=$DEBUG_KCACHE/debug-$KVER
	SRC=$DIR/$SRC_PKG
	OBJ=$DIR/obj

	mkdir -p "$DIR"
	# Two runs at once (two checkouts, a second make) share one build.
	exec 9>"$DIR/.lock"
	flock 9

	id=$(build_id)
	if [ $configure_only = 0 ] && [ -f "$DIR/.done" ] &&
	   [ "$(cat "$DIR/.done")" = "$id" ]; then
		echo "$DIR"
		return 0
	fi

	# shellcheck disable=SC2086
	install_pkgs $PKGS
	check_source
	unpack
	rm -f "$DIR/.done"
	configure
	if [ $configure_only = 1 ]; then
		echo "$DIR"
		return 0
	fi
	build
	echo "$id" >"$DIR/.done"
	echo "$DIR"
}

main "$@"
