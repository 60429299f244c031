#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sed (shortest expected delay) scheduler: connections held open make
# the active counts uneven, and every new connection must go to the
# server with the least (ActiveConn + 1) / Weight as "lvsadm -ln" shows
# them just before, the first in the list on a tie. With rs1 of weight 1
# and rs2 of weight 3 the held connections go to rs2 rs2 rs1 rs2 rs2 rs2
# rs1: the very first goes to rs2, where wlc would pick rs1. rs3, of
# weight 0, gets nothing.
#
#      cli                dir                 rs1       rs2       rs3
#  192.0.2.100        192.0.2.6           192.0.2.7 192.0.2.8 192.0.2.9
#       |          VIP 192.0.2.5 (eth0)   weight 1  weight 3  weight 0
#  =====+=================+=========br0=======+=========+=========+=====

SCHED="sed"
EXPECTED="rs2 rs2 rs1 rs2 rs2 rs2 rs1"

# shellcheck source=sched_delay.inc
source "$(dirname "$0")/sched_delay.inc"
