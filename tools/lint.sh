#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of ip_vs_lite: checkpatch.pl over the kernel and the
# userspace C sources, then a sparse and W=1 build of the kernel modules
# from a copy of the sources under build/lint/tree. Installs what it needs
# and caches checkpatch.pl, taken from Debian's linux-source package of
# the target kernel, under build/lint/. Exits non-zero if any check
# reports anything about our files.
#
# Environment:
#   KVER        kernel version to check against (default: from
#               linux-headers-amd64)
#   LINT_CACHE  where checkpatch.pl is unpacked (default: <repo>/build/lint)

set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
LINT_CACHE=${LINT_CACHE:-$REPO/build/lint}

KERNEL_DIRS="ip_vs_lite sched"
TOOLS_DIR="tools"

# Kernel code is held to what a netdev submission would be; --no-tree
# because there is no kernel tree around the sources.
CHECKPATCH_KERNEL="--no-tree --strict --file --terse --show-types --quiet --no-summary"
# Userspace follows the kernel style, but the --strict extras (kernel types
# such as u32) do not apply to code built against libc, and neither do the
# checks that only recommend a kernel API: the __printf()/__packed
# attribute wrappers, kstrto*() and the fallthrough pseudo-keyword do not
# exist in userspace headers.
CHECKPATCH_USER="--no-tree --file --terse --show-types --quiet --no-summary"
CHECKPATCH_USER+=" --ignore PREFER_DEFINED_ATTRIBUTE_MACRO,SSCANF_TO_KSTRTO"
CHECKPATCH_USER+=",PREFER_FALLTHROUGH"

log() { echo "lint: $*" >&2; }

# shellcheck source=../selftests/vm/pkgs.sh
source "$(dirname "$0")/../selftests/vm/pkgs.sh"

# checkpatch.pl reads spelling.txt and const_structs.checkpatch from its
# own directory, so the three files are unpacked side by side.
fetch_checkpatch()
{
	local src=$1 tarball ver stamp

	tarball=/usr/src/$src.tar.xz
	ver=$(dpkg-query -W -f='${Version}' "$src")
	stamp=$LINT_CACHE/.stamp
	if [ -x "$LINT_CACHE/scripts/checkpatch.pl" ] &&
	   [ "$(cat "$stamp" 2>/dev/null)" = "$src $ver" ]; then
		return 0
	fi

	log "unpacking checkpatch.pl from $tarball"
	rm -rf "$LINT_CACHE"
	mkdir -p "$LINT_CACHE"
	tar -xJf "$tarball" -C "$LINT_CACHE" --strip-components=1 \
		"$src/scripts/checkpatch.pl" \
		"$src/scripts/spelling.txt" \
		"$src/scripts/const_structs.checkpatch"
	echo "$src $ver" > "$stamp"
}

# Sources only: Kbuild leaves generated *.mod.c files next to them.
list_sources()
{
	find "$@" -type f \( -name '*.c' -o -name '*.h' \) \
		! -name '*.mod.c' 2>/dev/null | LC_ALL=C sort
}

run_checkpatch()
{
	local flags=$1 files rc=0

	shift
	files=$(cd "$REPO" && list_sources "$@")
	[ -z "$files" ] && return 0
	# shellcheck disable=SC2086
	(cd "$REPO" && "$LINT_CACHE/scripts/checkpatch.pl" $flags $files) ||
		rc=1
	return $rc
}

# A private copy of the kernel sources, so that every file is compiled
# afresh (compiler warnings only show on a rebuild) and so that the build
# never races with one running in the checkout itself.
copy_kernel_tree()
{
	local tree=$1

	rm -rf "$tree"
	mkdir -p "$tree"
	# shellcheck disable=SC2086
	(cd "$REPO" && find Kbuild $KERNEL_DIRS -type f \
		\( -name Kbuild -o -name Makefile -o -name '*.[ch]' \) \
		! -name '*.mod.c' -print0) |
		tar -C "$REPO" --null -T - -cf - | tar -C "$tree" -xf -
}

# Any diagnostic located in one of our files fails, whether sparse or the
# compiler emitted it; diagnostics inside kernel headers are not ours.
# W=1 adds the compiler warnings netdev builds with (missing prototypes,
# unused-but-set variables, ...).
run_sparse()
{
	local kver=$1 tree=$LINT_CACHE/tree out rc=0 ours

	copy_kernel_tree "$tree"
	out=$LINT_CACHE/sparse.log
	make -C "/lib/modules/$kver/build" M="$tree" C=1 W=1 \
		-j"$(nproc)" 2>&1 | sed "s#$tree/##g" >"$out" ||
		rc=1
	ours="^($(echo "$KERNEL_DIRS" | tr ' ' '|'))/[^:]*:[0-9]+(:[0-9]+)?:"
	if grep -E "$ours (warning|error)" "$out" >&2; then
		rc=1
	elif [ "$rc" != 0 ]; then
		cat "$out" >&2
	fi
	return $rc
}

main()
{
	local kver src rc=0 tools_dirs

	install_pkgs linux-headers-amd64 sparse make gcc perl xz-utils
	kver=${KVER:-$(discover_kver)}
	[ -n "$kver" ] || { log "cannot determine KVER"; exit 1; }
	src=linux-source-$(echo "$kver" | cut -d. -f1,2)
	install_pkgs "linux-headers-$kver" "$src"
	fetch_checkpatch "$src"

	log "checkpatch --strict: $KERNEL_DIRS"
	# shellcheck disable=SC2086
	run_checkpatch "$CHECKPATCH_KERNEL" $KERNEL_DIRS || rc=1

	tools_dirs=$(cd "$REPO" && find "$TOOLS_DIR" -mindepth 1 \
		-maxdepth 1 -type d | LC_ALL=C sort)
	if [ -n "$tools_dirs" ]; then
		log "checkpatch: $TOOLS_DIR"
		# shellcheck disable=SC2086
		run_checkpatch "$CHECKPATCH_USER" $tools_dirs || rc=1
	fi

	log "sparse and W=1: make C=1 W=1 against $kver"
	run_sparse "$kver" || rc=1

	if [ "$rc" = 0 ]; then log "clean"; else log "FAILED"; fi
	return $rc
}

main "$@"
