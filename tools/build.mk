# SPDX-License-Identifier: GPL-2.0
#
# Included by every Makefile under tools/, by a path relative to that
# Makefile, so that each directory still builds on its own (make -C
# tools/lvsadm). Variables only: a rule here would become the default
# goal of the Makefile that includes it.
#
# CC, PKG_CONFIG, INSTALL, DESTDIR, BINDIR, SBINDIR and CFLAGS may be set
# on the command line or in the environment; CFLAGS replaces only the
# default -O2 -g, the warnings and include paths stay. CPPFLAGS and
# LDFLAGS are added to ours.

# Before any other include: MAKEFILE_LIST then ends with this file as
# the including Makefile named it, ./../build.mk under make -C.
TOOLS_DIR	:= $(patsubst ./%,%,$(dir $(lastword $(MAKEFILE_LIST))))

CC		?= cc
PKG_CONFIG	?= pkg-config
INSTALL		?= install
DESTDIR		?=
BINDIR		?= /usr/bin
SBINDIR		?= /usr/sbin

CFLAGS		?= -O2 -g
WARNINGS	:= -Wall -Wextra -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral

# Without pkg-config, or without its file for libmnl, the compiler's
# default paths have to find libmnl.
MNL_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS	:= $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)

LIBDIR		:= $(TOOLS_DIR)lib
LIBIPVL		:= $(LIBDIR)/libipvl.a
# Everything but the socket (nl.c), so that tests can link a stand-in.
LIBIPVL_CORE	:= change.c cmp.c ext.c handle.c msg.c table.c

# The module's uapi header is not installed with the kernel headers, so
# it is taken from the module's sources.
ALL_CPPFLAGS	:= -D_GNU_SOURCE -I$(TOOLS_DIR)../ip_vs_lite/include/uapi \
		   -I$(LIBDIR) $(MNL_CFLAGS) $(CPPFLAGS)

# Unit tests. With -fno-sanitize-recover, a UBSan report fails the run
# instead of scrolling past in the output of tests that passed.
SANITIZE	:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
TEST_CFLAGS	:= $(ALL_CPPFLAGS) -I. $(WARNINGS) -O1 -g $(SANITIZE)
