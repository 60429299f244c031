#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of "make bench" from the consoles of its two VMs.

Each VM prints "BENCH <key> <value>" per measurement, "BENCHWIN <key>
<kind> <t0> <t1> <count>" for those taken over a window of time, and
"BENCHINFO <key> <value>" about the run (selftests/bench/guest.sh).
bench.sh samples the host CPU time of each VM's CPU thread (--*-cpu:
"<host time> <ns>" lines). A windowed measurement is related to the
host CPU time its VM got in the window: a rate per second of host CPU,
a duration in host CPU seconds, an idle share as a share of a host CPU.
These stay put when other work on the host takes turns with the VMs;
the wall-clock values do not.

The table has one row per key: the median over the rounds for IPVS and
for ip_vs_lite, the ratio ip_vs_lite / IPVS of those, and the ratio of
the wall-clock medians. Two small tables follow: the forwarding rows as
shares of the wire (the ceiling row of the same VM), and the project's
performance targets, each a ratio within this one run, "met", "not met"
or "not measured" (a row the run lacks). With --doc, the tables and a
description of the run replace what is between the two marker comments
of Documentation/performance.rst.
"""

import bisect

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys

DOC_BEGIN = '.. bench-results-begin'
DOC_END = '.. bench-results-end'


class Side:
    """One VM: wall-clock values, windows, run facts, CPU samples."""

    def __init__(self, log, cpu):
        self.wall, self.wins, self.info = {}, {}, {}
        self.times, self.ns = [], []
        for line in read_lines(log):
            m = re.search(r'\bBENCH(INFO|WIN)? (\S+) (.*)$', line)
            if not m:
                continue
            kind, key, val = m.groups()
            if kind == 'INFO':
                self.info.setdefault(key, []).append(val.strip())
            elif kind == 'WIN':
                self.add_window(key, val.split())
            else:
                try:
                    self.wall.setdefault(key, []).append(float(val))
                except ValueError:
                    pass
        for line in read_lines(cpu):
            try:
                t, ns = line.split()
                self.times.append(float(t))
                self.ns.append(int(ns))
            except ValueError:
                pass
        offset = self.info.get('clock_offset')
        self.offset = float(offset[0]) if offset else None

    def add_window(self, key, fields):
        try:
            kind, t0, t1, n = fields[0], *map(float, fields[1:4])
        except ValueError:
            return
        if kind in ('rate', 'time', 'busy'):
            self.wins.setdefault(key, []).append((kind, t0, t1, n))

    def cpu_at(self, t):
        """Host CPU ns of the guest's CPU at host time t, interpolated."""
        i = bisect.bisect_left(self.times, t)
        if i == 0 or i >= len(self.times):
            return None
        t0, t1 = self.times[i - 1], self.times[i]
        n0, n1 = self.ns[i - 1], self.ns[i]
        return n0 + (n1 - n0) * (t - t0) / (t1 - t0) if t1 > t0 else n0

    def cpu(self, key):
        """The windowed measurements of key, against host CPU time."""
        out = []
        if self.offset is None:
            return out
        for kind, t0, t1, n in self.wins.get(key, []):
            a = self.cpu_at(t0 + self.offset)
            b = self.cpu_at(t1 + self.offset)
            if a is None or b is None or b <= a:
                continue
            secs = (b - a) / 1e9
            if kind == 'rate':
                out.append(n / secs)
            elif kind == 'time':
                out.append(secs)
            else:
                out.append(100 * secs / (t1 - t0))
        return out

    def values(self, key):
        """Host-CPU based values where there are any, else wall-clock."""
        if key == 'est_cost_pct':
            busy, base = self.cpu('est_busy_pct'), self.cpu('est_base_pct')
            if busy and len(busy) == len(base):
                return [a - b for a, b in zip(busy, base)]
        elif key in self.wins:
            vals = self.cpu(key)
            if vals:
                return vals
        return self.wall.get(key, [])


def read_lines(path):
    try:
        with open(path, errors='replace') as f:
            return f.read().splitlines()
    except (OSError, TypeError):
        return []


def first(info, key, default=''):
    return info.get(key, [default])[0]


def num(n):
    return f'{int(n):,}'


def sizes(ipvs_info, lite_info):
    """The services of the control-plane rows and the connections of
    the large scale rows, as printed ('?' if unknown)."""
    svcs = first(lite_info, 'rules_services') or first(ipvs_info, 'rules_services')
    flows = first(lite_info, 'scale_flows') or first(ipvs_info, 'scale_flows')
    return num(svcs) if svcs else '?', num(flows) if flows else '?'


def rows(ipvs_info, lite_info, keys):
    """(key, label, unit, better) in table order."""
    svcs, flows = sizes(ipvs_info, lite_info)
    out = [
        ('ceiling_pps', 'ceiling: pktgen to a real server, bridge only',
         'pps', 'higher'),
        ('dr_flows_pps', 'DR, UDP 64 B, rr over 2, ~59,000 flows',
         'pps', 'higher'),
        ('dr_1flow_pps', 'DR, UDP 64 B, rr over 2, 1 flow', 'pps', 'higher'),
        ('tcp_cps', 'DR, new TCP connections (connect, RST)',
         'conn/s', 'higher'),
        ('mem_objsize', 'memory: slab bytes per connection entry',
         'B', 'lower'),
        ('mem_slab_mib', 'memory: Slab growth, 100,000 connections',
         'MiB', 'lower'),
    ]
    for bits in (12, 20):
        out.append((f'scale_b{bits}_small',
                    f'DR, 1,000 live conns, conn_tab_bits {bits}',
                    'pps', 'higher'))
        out.append((f'scale_b{bits}_big',
                    f'DR, {flows} live conns, conn_tab_bits {bits}',
                    'pps', 'higher'))
    out += [
        ('cp_restore_s', f'-R, {svcs} services x 10 real servers',
         's', 'lower'),
        ('cp_list_s', f'-ln >/dev/null, {svcs} services', 's', 'lower'),
        ('cp_flush_s', f'-C, {svcs} services', 's', 'lower'),
        ('est_base_pct', 'CPU busy while idle, no services', '%', 'lower'),
        ('est_busy_pct', f'CPU busy while idle, {svcs} services',
         '%', 'lower'),
        ('est_cost_pct', f'estimators, {svcs} services (difference)',
         '% CPU', 'lower'),
    ]
    sched = sorted({k for k in keys if k.startswith('sched_')},
                   key=sched_order)
    for k in sched:
        _, name, n = k.split('_')
        out.append((k, f'new UDP conns (NAT), {name}, {num(n)} real servers',
                    'conn/s', 'higher'))
    return out


def sched_order(key):
    _, name, n = key.split('_')
    classic = ['rr', 'wrr', 'lc', 'wlc']
    rank = classic.index(name) if name in classic else len(classic)
    return (rank, name, int(n))


def fmt(v, unit):
    if v is None:
        return 'n/a'
    if unit in ('s',):
        return f'{v:.2f}'
    if unit in ('%', '% CPU'):
        return f'{v:.1f}'
    if unit == 'MiB':
        return f'{v:.1f}'
    return f'{v:,.0f}'


def median(vals):
    return statistics.median(vals) if vals else None


def ratio(a, b):
    return f'{b / a:.2f}' if a and b is not None else 'n/a'


def quotient(a, b):
    return a / b if a is not None and b else None


def render(header, body, left):
    """A simple rst table: the columns numbered in left flush left, the
    others flush right."""
    widths = [max(len(r[i]) for r in [header] + body)
              for i in range(len(header))]
    rule = '  '.join('=' * w for w in widths)

    def line(r):
        cells = []
        for i, c in enumerate(r):
            cells.append(c.ljust(widths[i]) if i in left
                         else c.rjust(widths[i]))
        return '  '.join(cells).rstrip()

    return '\n'.join([rule, line(header), rule] +
                     [line(r) for r in body] + [rule])


def table(ipvs, lite, rounds):
    header = ('row', 'unit', 'better', 'IPVS', 'ip_vs_lite', 'lite/IPVS',
              'wall-clock')
    body = []
    keys = all_keys(ipvs, lite)
    for key, label, unit, better in rows(ipvs.info, lite.info, keys):
        va, vb = ipvs.values(key), lite.values(key)
        a, b = median(va), median(vb)
        r = ratio(a, b)
        short = min(len(va), len(vb))
        if a is not None and b is not None and short < rounds and \
           not key.startswith('mem_'):
            r += f' ({short} rnd)'
        wall = ratio(median(ipvs.wall.get(key, [])),
                     median(lite.wall.get(key, [])))
        body.append((label, unit, better, fmt(a, unit), fmt(b, unit), r,
                     wall))
    return render(header, body, (0, 1, 2))


def all_keys(ipvs, lite):
    return set(ipvs.wall) | set(lite.wall)


def share(side, key):
    """The median of key over the median of the ceiling row of the
    same VM: its share of the wire."""
    return quotient(median(side.values(key)),
                    median(side.values('ceiling_pps')))


def wire_table(ipvs, lite):
    """The ceiling row, then every other row in pps (forwarding over
    existing connections) as a share of it, per VM; lite/IPVS of the
    shares is the forwarding ratio with the ceilings' difference taken
    out."""
    header = ('share of the wire', 'unit', 'IPVS', 'ip_vs_lite',
              'lite/IPVS')
    body = []
    keys = all_keys(ipvs, lite)
    for key, label, unit, _ in rows(ipvs.info, lite.info, keys):
        if unit != 'pps':
            continue
        if key == 'ceiling_pps':
            a, b = median(ipvs.values(key)), median(lite.values(key))
            label = label.replace('ceiling:', 'ceiling (the wire):')
            body.append((label, unit, fmt(a, unit), fmt(b, unit),
                         ratio(a, b)))
            continue
        a, b = share(ipvs, key), share(lite, key)
        body.append((label, 'of wire', share_fmt(a), share_fmt(b),
                     ratio(a, b)))
    return render(header, body, (0, 1))


def share_fmt(v):
    return 'n/a' if v is None else f'{v:.2f}'


# The project's performance targets, each a ratio within this one run
# (of medians) or a size: (label, IPVS's value for comparison or '' for
# none, ip_vs_lite's value, goal, limit, decimals, and whether it is
# met where no value says so). A target is judged on its value as
# printed.
def targets(ipvs, lite):
    svcs, flows = sizes(ipvs.info, lite.info)

    def med(side, key):
        return median(side.values(key))

    def grow(side):
        return quotient(med(side, 'scale_b12_big'),
                        med(side, 'scale_b12_small'))

    at = '' if svcs in ('10,000', '?') else ' (not 10,000)'
    est_ipvs, est_lite = med(ipvs, 'est_cost_pct'), med(lite, 'est_cost_pct')
    est, est_met = quotient(est_lite, est_ipvs), None
    if est_ipvs is not None and est_ipvs <= 0:
        # IPVS's estimators cost less than the noise: no ratio, but
        # ip_vs_lite's must cost no more, as the table prints them.
        est = None
        if est_lite is not None:
            est_met = round(est_lite, 1) <= round(est_ipvs, 1)
    out = [
        ('DR, ~59,000 flows, share of the wire',
         share(ipvs, 'dr_flows_pps'), share(lite, 'dr_flows_pps'),
         '>=', 0.95, 2, None),
        (f'DR, {flows} over 1,000 live conns, conn_tab_bits 12',
         grow(ipvs), grow(lite), '>=', 0.90, 2, None),
        ('new TCP connections/s, ip_vs_lite / IPVS', '',
         quotient(med(lite, 'tcp_cps'), med(ipvs, 'tcp_cps')),
         '>=', 1.3, 2, None),
        (f'estimators, {svcs} services{at}, ip_vs_lite / IPVS', '',
         est, '<=', 1.0, 2, est_met),
        ('memory: slab bytes per connection entry', med(ipvs, 'mem_objsize'),
         med(lite, 'mem_objsize'), '<=', 128, 0, None),
    ]
    header = ('target', 'goal', 'IPVS', 'ip_vs_lite', 'result')
    body = []
    for label, a, b, op, limit, digits, met in out:
        if b is not None:
            shown = round(b, digits)
            met = shown >= limit if op == '>=' else shown <= limit
        result = 'not measured' if met is None else \
            'met' if met else 'not met'
        body.append((label, f'{op} {limit:.{digits}f}',
                     a if a == '' else target_fmt(a, digits),
                     target_fmt(b, digits), result))
    return render(header, body, (0, 4))


def target_fmt(v, digits):
    return 'n/a' if v is None else f'{v:,.{digits}f}'


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def qemu_version():
    try:
        out = subprocess.run(['qemu-system-x86_64', '--version'],
                             capture_output=True, text=True).stdout
        return out.splitlines()[0]
    except (OSError, IndexError):
        return 'qemu'


def describe(args, ipvs, lite):
    kernel = first(lite.info, 'kernel') or first(ipvs.info, 'kernel') or '?'
    mins, secs = divmod(args.seconds, 60)
    mode = 'quick mode, ' if args.quick else ''
    lines = [
        f'Measured on {datetime.date.today().isoformat()}: guest kernel '
        f'{kernel}; host {os.cpu_count()} CPUs, {cpu_model()}; '
        f'{qemu_version()}, TCG, one CPU and '
        f'{first(lite.info, "mem_mib", "?")} MiB per VM; '
        f'{mode}{args.rounds} round(s); make bench took {mins} min {secs} s; '
        f'host load average (1 min) {args.load.replace(" ", " at the start, ")} '
        f'at the end.',
    ]
    lines.append('Columns IPVS and ip_vs_lite: medians per second of host CPU '
                 'time that the VM\'s CPU got (durations in host CPU seconds, '
                 'idle shares in % of a host CPU); lite/IPVS: their ratio; '
                 'wall-clock: the ratio of the plain wall-clock medians. '
                 '"(n rnd)": fewer rounds than asked for.')
    for name, side in (('IPVS', ipvs), ('ip_vs_lite', lite)):
        info, notes = side.info, []
        if not side.times:
            notes.append('no host CPU samples: wall-clock values only')
        if 'solo' in info:
            notes.append(f'measured alone from "{info["solo"][0]}" on')
        if 'finished' not in info:
            notes.append('did not finish (see its log)')
        for k in ('conns_big_b12', 'conns_big_b20'):
            if k in info:
                notes.append(f'{k.replace("conns_big_b", "conn_tab_bits ")}: '
                             f'{num(info[k][0])} live connections reached')
        if 'clock_ratio' in info:
            notes.append(f'guest/host clock ratio over the run '
                         f'{info["clock_ratio"][0]} '
                         f'({first(info, "clocksource", "?")})')
        if 'dmesg' in info:
            notes.append('kernel complaints in dmesg: ' + '; '.join(info['dmesg'][:3]))
        if notes:
            lines.append(f'{name}: ' + '; '.join(notes) + '.')
    return lines


# What the two small tables show, a paragraph before each in the rst.
WIRE_NOTE = ('Share of the wire: each row in pps as a share of the ceiling '
             'row of the same VM (pktgen straight to a real server, the '
             'most the setup forwards without a load balancer); lite/IPVS: '
             'the ratio of the shares, that is the forwarding ratio with '
             'the difference between the two ceilings taken out. The scale '
             'rows are measured later in the run than the ceiling.')
TARGETS_NOTE = ('Targets, each computed within this run from the medians '
                'above and judged on the value as printed: ip_vs_lite '
                'forwards ~59,000 flows at 0.95 of the wire or more; at the '
                'largest connection count with conn_tab_bits 12 it keeps '
                '0.90 of its rate at 1,000 connections or more (IPVS\'s '
                'ratios of both shown for comparison); it makes 1.3 times '
                'the new TCP connections per second of IPVS or more; its '
                'estimators cost no more CPU than IPVS\'s (the busy share '
                'with the services less the one without; when IPVS\'s is '
                'not above 0 there is no ratio, and ip_vs_lite\'s must be '
                'no higher); a connection entry takes at most 128 bytes of '
                'slab. "not measured": a row the run lacks.')


def wrap(text, width=72):
    words, out, cur = text.split(), [], ''
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f'{cur} {w}' if cur else w
    if cur:
        out.append(cur)
    return out


def rst(tab):
    return '\n'.join(['.. table::', ''] +
                     ['   ' + t for t in tab.splitlines()])


def update_doc(path, block):
    with open(path) as f:
        text = f.read()
    begin, end = text.find(DOC_BEGIN), text.find(DOC_END)
    if begin < 0 or end < begin:
        print(f'report: no {DOC_BEGIN} / {DOC_END} in {path}', file=sys.stderr)
        return
    begin += len(DOC_BEGIN)
    with open(path + '.tmp', 'w') as f:
        f.write(text[:begin] + '\n\n' + block + '\n\n' + text[end:])
    os.replace(path + '.tmp', path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--ipvs', required=True)
    ap.add_argument('--lite', required=True)
    ap.add_argument('--ipvs-cpu')
    ap.add_argument('--lite-cpu')
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--quick', type=int, default=0)
    ap.add_argument('--seconds', type=int, default=0)
    ap.add_argument('--load', default='? ?')
    ap.add_argument('--rst')
    ap.add_argument('--doc')
    args = ap.parse_args()

    ipvs = Side(args.ipvs, args.ipvs_cpu)
    lite = Side(args.lite, args.lite_cpu)
    tab = table(ipvs, lite, args.rounds)
    wire, goals = wire_table(ipvs, lite), targets(ipvs, lite)
    desc = describe(args, ipvs, lite)
    block = '\n\n'.join(
        ['\n'.join(sum((wrap(d) + [''] for d in desc), [])) + '\n' + rst(tab),
         '\n'.join(wrap(WIRE_NOTE)) + '\n\n' + rst(wire),
         '\n'.join(wrap(TARGETS_NOTE)) + '\n\n' + rst(goals)])
    print(tab)
    print()
    print(wire)
    print()
    print(goals)
    print()
    print('\n'.join(desc + [WIRE_NOTE, TARGETS_NOTE]))
    if args.rst:
        with open(args.rst, 'w') as f:
            f.write(block + '\n')
    if args.doc:
        update_doc(args.doc, block)


if __name__ == '__main__':
    main()
