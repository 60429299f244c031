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
the wall-clock medians. With --doc, the table and a description of the
run replace what is between the two marker comments of
Documentation/performance.rst.
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


def rows(ipvs_info, lite_info, keys):
    """(key, label, unit, better) in table order."""
    svcs = first(lite_info, 'rules_services') or first(ipvs_info, 'rules_services')
    flows = first(lite_info, 'scale_flows') or first(ipvs_info, 'scale_flows')
    svcs = num(svcs) if svcs else '?'
    flows = num(flows) if flows else '?'
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


def table(ipvs, lite, rounds):
    header = ('row', 'unit', 'better', 'IPVS', 'ip_vs_lite', 'lite/IPVS',
              'wall-clock')
    body = []
    keys = set(ipvs.wall) | set(lite.wall)
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
    widths = [max(len(r[i]) for r in [header] + body)
              for i in range(len(header))]
    rule = '  '.join('=' * w for w in widths)

    def line(r):
        cells = []
        for i, c in enumerate(r):
            cells.append(c.ljust(widths[i]) if i < 3 else c.rjust(widths[i]))
        return '  '.join(cells).rstrip()

    return '\n'.join([rule, line(header), rule] +
                     [line(r) for r in body] + [rule])


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
    desc = describe(args, ipvs, lite)
    block = '\n'.join(sum((wrap(d) + [''] for d in desc), [])) + '\n' + \
        '\n'.join(['.. table::', ''] + ['   ' + t for t in tab.splitlines()])
    print(tab)
    print()
    print('\n'.join(desc))
    if args.rst:
        with open(args.rst, 'w') as f:
            f.write(block + '\n')
    if args.doc:
        update_doc(args.doc, block)


if __name__ == '__main__':
    main()
