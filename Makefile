# SPDX-License-Identifier: GPL-2.0
#
# ip_vs_lite: out-of-tree kernel modules (ip_vs_lite/, sched/) and
# userspace tools (tools/).
#
#   make [all]          build the modules and the tools
#   make modules        build the kernel modules only
#   make tools          build lvsadm and ipvl-nl only
#   make install        install the modules (extra/), lvsadm and lvs-healthd
#   make dkms-install   install the sources under DKMS
#   make check          host unit tests, then every selftest in a qemu VM
#   make check-debug    every selftest on a KASAN/kmemleak/lockdep/UBSAN
#                       build of the same kernel, hostile input at full
#                       size (hours; builds that kernel once, outside the tree)
#   make demo           the LVS/DR walk-through in a qemu VM
#   make bench          ip_vs_lite against kernel IPVS, side by side in two VMs
#   make lint           checkpatch and sparse
#   make clean
#
# KVER defaults to the kernel that Debian's linux-headers-amd64 points
# at; override it to build for another installed kernel. It is looked up
# when a recipe needs it, not when this file is read, and it is passed on
# to the scripts only if given: "make check", "make demo" and "make lint"
# install linux-headers-amd64 first and decide it themselves afterwards.
ifeq ($(origin KVER),undefined)
KVER = $(or $(shell dpkg-query -W -f='$${Depends}\n' linux-headers-amd64 2>/dev/null | \
	 sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'),$(shell uname -r))
endif
KDIR ?= /lib/modules/$(KVER)/build

# major.minor.patch from IPVL_VERSION_CODE in the uapi header.
VERSION := $(shell code=$$(sed -n 's/^\#define[[:space:]]*IPVL_VERSION_CODE[[:space:]]*//p' \
	     ip_vs_lite/include/uapi/linux/ip_vs_lite.h); \
	     printf '%d.%d.%d' $$((code >> 16)) $$(((code >> 8) & 255)) $$((code & 255)))

DKMS_SRC := /usr/src/ip_vs_lite-$(VERSION)
TOOLS := tools/lvsadm tools/nltest tools/lvs-healthd

# Passed on to the selftests (see selftests/lib.sh).
export ADM LVS_MOD SCHED_PREFIX TESTS VERBOSE

all: modules tools

modules: kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

kdir:
	@test -d $(KDIR) || { echo "no kernel headers for $(KVER) in $(KDIR):" \
		"apt-get install linux-headers-amd64 (or set KVER or KDIR)" >&2; exit 1; }

tools:
	@set -e; for t in $(TOOLS); do \
		if [ -f $$t/Makefile ]; then $(MAKE) -C $$t; fi; \
	done

# INSTALL_MOD_PATH and DESTDIR stage the installation elsewhere.
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)
	$(MAKE) -C tools/lvsadm install
	$(MAKE) -C tools/lvs-healthd install

dkms-install:
	@command -v dkms >/dev/null || \
		{ echo "dkms not found: apt-get install dkms" >&2; exit 1; }
	-dkms remove -m ip_vs_lite -v $(VERSION) --all >/dev/null 2>&1
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -a Kbuild dkms.conf ip_vs_lite sched $(DKMS_SRC)/
	$(MAKE) -C $(KDIR) M=$(DKMS_SRC) clean >/dev/null
	sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' \
		$(DKMS_SRC)/dkms.conf
	dkms add -m ip_vs_lite -v $(VERSION)
	dkms build -m ip_vs_lite -v $(VERSION) -k $(KVER)
	dkms install -m ip_vs_lite -v $(VERSION) -k $(KVER)

check:
	selftests/run/check.sh

check-debug:
	selftests/run/check-debug.sh

demo:
	selftests/vm/deps.sh >/dev/null
	$(MAKE) all
	selftests/vm/run.sh -- selftests/run/demo.sh

# A benchmark, not a test: see Documentation/performance.rst.
bench:
	selftests/vm/deps.sh >/dev/null
	$(MAKE) all
	selftests/bench/bench.sh

.PHONY: bench

lint:
	tools/lint.sh

# Kbuild's own clean would sweep every *.o, *.ko and modules.order under
# this tree, build/ included, where the VM's kernel and its modules are
# cached; so only the module folders are cleaned.
clean:
	find ip_vs_lite sched \( -name '*.[aios]' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.d' -o -name modules.order \
		-o -name '*.dwo' \) -delete
	rm -f Module.symvers modules.order .*.cmd
	@for t in $(TOOLS); do \
		if [ -f $$t/Makefile ]; then $(MAKE) -C $$t clean; fi; \
	done

.PHONY: all modules kdir tools install dkms-install check check-debug demo lint clean
