#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu for the benchmark VMs: selftests/vm/run.sh runs this in place of
# qemu-system-x86_64 (its QEMU variable), and it adds one more 9p export,
# tag "bench", of the host directory $BENCH_SYNC. Both VMs of a "make
# bench" run get the same directory, uncached, and meet there before
# every measurement, so that they measure at the same moments. The
# emulator's threads are named, so that bench.sh can find the one that
# runs the guest's CPU and follow how much host CPU time it gets.

set -euo pipefail

if [ -z "${BENCH_SYNC:-}" ] || [ ! -d "$BENCH_SYNC" ]; then
	echo "bench qemu: BENCH_SYNC is not a directory" >&2
	exit 1
fi

exec "${BENCH_QEMU:-qemu-system-x86_64}" "$@" \
	-name "bench-${BENCH_SYS:-vm},debug-threads=on" \
	-fsdev "local,id=bench,path=$BENCH_SYNC,security_model=none" \
	-device virtio-9p-pci,fsdev=bench,mount_tag=bench
