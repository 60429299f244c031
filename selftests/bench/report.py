#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of "make bench" from the consoles of its two VMs.

Each VM prints "BENCH <key> <value>" per measurement and "BENCHINFO
<key> <value>" about the run (selftests/bench/guest.sh). The table has
one row per key: the median over the rounds for IPVS and for
ip_vs_lite, and the ratio ip_vs_lite / IPVS. With --doc, the table and
a description of the run replace what is between the two marker
comments of Documentation/performance.rst.
"""

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


def parse(path):
    """Measurements {key: [values]} and run facts {key: [values]}."""
    res, info = {}, {}
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError:
        return res, info
    for line in lines:
        m = re.search(r'\bBENCH(INFO)? (\S+) (.*)$', line)
        if not m:
            continue
        kind, key, val = m.groups()
        if kind:
            info.setdefault(key, []).append(val.strip())
            continue
        try:
            res.setdefault(key, []).append(float(val))
        except ValueError:
            pass
    return res, info


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


def table(ipvs, lite, ipvs_info, lite_info, rounds):
    header = ('row', 'unit', 'better', 'IPVS', 'ip_vs_lite', 'lite/IPVS')
    body = []
    keys = set(ipvs) | set(lite)
    for key, label, unit, better in rows(ipvs_info, lite_info, keys):
        a, b = median(ipvs.get(key, [])), median(lite.get(key, []))
        ratio = 'n/a'
        if a is not None and b is not None and a != 0:
            ratio = f'{b / a:.2f}'
        short = min(len(ipvs.get(key, [])), len(lite.get(key, [])))
        if a is not None and b is not None and short < rounds and \
           not key.startswith('mem_'):
            ratio += f' ({short} rnd)'
        body.append((label, unit, better, fmt(a, unit), fmt(b, unit), ratio))
    widths = [max(len(r[i]) for r in [header] + body) for i in range(6)]
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


def describe(args, ipvs_info, lite_info):
    kernel = first(lite_info, 'kernel') or first(ipvs_info, 'kernel') or '?'
    mins, secs = divmod(args.seconds, 60)
    mode = 'quick mode, ' if args.quick else ''
    lines = [
        f'Measured on {datetime.date.today().isoformat()}: guest kernel '
        f'{kernel}; host {os.cpu_count()} CPUs, {cpu_model()}; '
        f'{qemu_version()}, TCG, one CPU and '
        f'{first(lite_info, "mem_mib", "?")} MiB per VM; '
        f'{mode}{args.rounds} round(s); make bench took {mins} min {secs} s; '
        f'host load average (1 min) {args.load.replace(" ", " at the start, ")} '
        f'at the end.',
    ]
    for side, info in (('IPVS', ipvs_info), ('ip_vs_lite', lite_info)):
        notes = []
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
            lines.append(f'{side}: ' + '; '.join(notes) + '.')
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
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--quick', type=int, default=0)
    ap.add_argument('--seconds', type=int, default=0)
    ap.add_argument('--load', default='? ?')
    ap.add_argument('--rst')
    ap.add_argument('--doc')
    args = ap.parse_args()

    ipvs, ipvs_info = parse(args.ipvs)
    lite, lite_info = parse(args.lite)
    tab = table(ipvs, lite, ipvs_info, lite_info, args.rounds)
    desc = describe(args, ipvs_info, lite_info)
    block = '\n'.join(sum((wrap(d) + [''] for d in desc), [])) + '\n' + \
        '\n'.join('  ' + t if t else t for t in ['.. table::', ''] +
                  tab.splitlines())
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
