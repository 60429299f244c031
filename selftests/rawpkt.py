#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and hostile IPv4 frames for the ip_vs_lite robustness
# selftests (malformed.sh, flood.sh), written with AF_PACKET so that
# every header field, lengths and checksums included, is exactly as
# built here.
#
#   rawpkt.py send IFACE DSTMAC SRC DST CASE COUNT [options]
#       COUNT frames of kind CASE from SRC to DST, to the Ethernet
#       address DSTMAC. Options: --tcp-port, --udp-port, --sctp-port
#       (the services' ports), --cport/--qport/--qproto (a client port and the service
#       port/protocol that ICMP quotes name), --inner-src (the source of
#       a quoted IP-in-IP header).
#   rawpkt.py suite IFACE DSTMAC SRC DST COUNT PIDS CASE... [options]
#       Each CASE in turn, with the kernel counters of three namespaces
#       read before and after through /proc/PID/net of a process in each
#       (PIDS: "dir=PID,rs=PID,rsn=PID"). One line per case:
#       "CASE rs=N rsn=N rsn_icmp=N dir=COUNTER+N ..." (rs, rsn: IP
#       packets the real servers received). Before each case named
#       icmp-nat-*, a datagram from --cport to DST:--qport makes sure
#       the NAT connection the quotes name is alive.
#   rawpkt.py cases
#       The names of the cases, one a line.
#   rawpkt.py syn-flood IFACE DSTMAC NET DST PORT COUNT
#       COUNT TCP SYNs to DST:PORT from random sources inside NET
#       (a.b.c.d/len); prints the rate reached.
#   rawpkt.py tcp-probe DST PORT STOPFILE [MAX]
#       Legitimate clients: one TCP connection after another to
#       DST:PORT, each given 3 s to deliver the server's first line,
#       until STOPFILE exists or MAX were tried; prints "probe: started"
#       first and "probe: N tried, N answered" at the end.
#   rawpkt.py udp-hold SRC_PORT DST PORT
#       One UDP datagram from SRC_PORT to DST:PORT (a connection entry
#       for ICMP quotes to name).

import argparse
import os
import random
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip_hdr(src, dst, proto, payload_len, ihl=5, options=b"", frag=0,
           tot_len=None, ident=None, ttl=64, check=True):
    if tot_len is None:
        tot_len = ihl * 4 + payload_len
    if ident is None:
        ident = random.randint(0, 0xffff)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | (ihl & 0xf), 0, tot_len & 0xffff,
                    ident, frag, ttl, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst)) + options
    if check:
        c = csum(h)
        h = h[:10] + struct.pack("!H", c) + h[12:]
    return h


def l4_csum(src, dst, proto, seg):
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src),
                         socket.inet_aton(dst), 0, proto, len(seg))
    return csum(pseudo + seg)


def tcp_seg(src, dst, sport, dport, flags=0x02, doff=5, payload=b"",
            seq=None):
    if seq is None:
        seq = random.randint(0, 0xffffffff)
    opts = b"\0" * max(0, (doff - 5) * 4)
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, (doff & 0xf) << 4,
                      flags, 65535, 0, 0) + opts + payload
    c = l4_csum(src, dst, socket.IPPROTO_TCP, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp_dgram(src, dst, sport, dport, payload=b"x" * 32, length=None):
    ulen = 8 + len(payload) if length is None else length
    seg = struct.pack("!HHHH", sport, dport, ulen & 0xffff, 0) + payload
    c = l4_csum(src, dst, socket.IPPROTO_UDP, seg) or 0xffff
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def icmp_err(quote, typ=3, code=3, rest=0):
    h = struct.pack("!BBHI", typ, code, 0, rest) + quote
    c = csum(h)
    return h[:2] + struct.pack("!H", c) + h[4:]


def ip_pkt(a, proto, payload, **kw):
    return ip_hdr(a.src, a.dst, proto, len(payload), **kw) + payload


def rport():
    return random.randint(1024, 65535)


def syn(a, **kw):
    return tcp_seg(a.src, a.dst, rport(), a.tcp_port, **kw)

# ----------------------------------------------------------- the cases
# Each returns a list of IP packets (bytes, possibly broken) for one
# round; rounds repeat COUNT times.


def c_ip_short(a):
    # 12 bytes of an IP header and nothing else.
    return [ip_pkt(a, 6, syn(a))[:12]]


def c_ip_ihl4(a):
    p = bytearray(ip_pkt(a, 6, syn(a)))
    p[0] = 0x44
    return [bytes(p)]


def c_ip_totlen_long(a):
    seg = syn(a)
    return [ip_hdr(a.src, a.dst, 6, len(seg), tot_len=20 + len(seg) + 100)
            + seg]


def c_ip_totlen_short(a):
    seg = syn(a)
    return [ip_hdr(a.src, a.dst, 6, len(seg), tot_len=12) + seg]


def c_ip_bad_csum(a):
    p = bytearray(ip_pkt(a, 6, syn(a)))
    p[10] ^= 0x5a
    return [bytes(p)]


def c_ip_options(a):
    # A timestamp option with room for one stamp, then NOPs and EOL.
    opts = bytes([68, 8, 5, 0, 0, 0, 0, 0, 1, 1, 1, 0])
    return [ip_pkt(a, 6, syn(a), ihl=5 + len(opts) // 4, options=opts)]


def c_ip_options_bad(a):
    # An option whose length runs past the header.
    opts = bytes([7, 40, 4, 0])
    return [ip_pkt(a, 6, syn(a), ihl=6, options=opts)]


def c_ip_options_lsrr(a):
    # Loose source routing: refused unless accept_source_route is on.
    opts = bytes([1, 131, 7, 4]) + socket.inet_aton(a.src)
    return [ip_pkt(a, 6, syn(a), ihl=5 + len(opts) // 4, options=opts)]


def c_tcp_trunc(a):
    # Only 10 bytes of TCP header in the datagram.
    return [ip_pkt(a, 6, syn(a)[:10])]


def c_tcp_doff3(a):
    return [ip_pkt(a, 6, syn(a, doff=3))]


def c_tcp_doff15(a):
    # doff says 60 bytes; the segment has 20.
    seg = bytearray(syn(a))
    seg[12] = 15 << 4
    return [ip_pkt(a, 6, bytes(seg))]


def c_tcp_xmas(a):
    return [ip_pkt(a, 6, syn(a, flags=0x3f))]


def c_udp_len_long(a):
    seg = udp_dgram(a.src, a.dst, rport(), a.udp_port, length=500)
    return [ip_pkt(a, 17, seg)]


def c_udp_len_short(a):
    seg = udp_dgram(a.src, a.dst, rport(), a.udp_port, length=4)
    return [ip_pkt(a, 17, seg)]


def c_udp_trunc(a):
    seg = udp_dgram(a.src, a.dst, rport(), a.udp_port)
    return [ip_pkt(a, 17, seg[:6])]


def sctp_pkt(a, chunks, sport=None):
    # Common header (random tag, CRC left zero: the director does not
    # check it) and the chunks as given.
    head = struct.pack("!HHII", sport or rport(), a.sctp_port,
                       random.getrandbits(32), 0)
    return ip_pkt(a, 132, head + chunks)


def chunk(ctype, length=None, body=b""):
    n = 4 + len(body) if length is None else length
    return struct.pack("!BBH", ctype, 0, n) + body


def c_sctp_trunc(a):
    # 8 bytes of the 12 of the common header.
    return [sctp_pkt(a, b"")[:20 + 8]]


def c_sctp_nochunk(a):
    return [sctp_pkt(a, b"")]


def c_sctp_chunk_trunc(a):
    return [sctp_pkt(a, chunk(1, body=bytes(16))[:2])]


def c_sctp_cookie_len0(a):
    # A COOKIE ECHO of length 0, then an ABORT where a length would put it.
    return [sctp_pkt(a, chunk(10, length=0) + chunk(6))]


def c_sctp_cookie_len_huge(a):
    return [sctp_pkt(a, chunk(10, length=0xffff, body=bytes(4)))]


def c_sctp_init(a):
    # INIT: tag, a_rwnd, streams, initial TSN; makes a connection.
    init = struct.pack("!IIHHI", 1, 65535, 10, 10, 1)
    return [sctp_pkt(a, chunk(1, body=init))]


def frags(a, pieces):
    # pieces: (offset in bytes, data slice end, more fragments)
    seg = udp_dgram(a.src, a.dst, rport(), a.udp_port, payload=b"f" * 64)
    ident = random.randint(0, 0xffff)
    out = []
    for off, end, mf in pieces:
        data = seg[off:end]
        frag = (0x2000 if mf else 0) | (off // 8)
        out.append(ip_hdr(a.src, a.dst, 17, len(data), frag=frag,
                          ident=ident) + data)
    return out


def c_frag_ok(a):
    return frags(a, [(0, 40, True), (40, 72, False)])


def c_frag_first(a):
    return frags(a, [(0, 40, True)])


def c_frag_middle(a):
    return frags(a, [(16, 40, True)])


def c_frag_overlap(a):
    return frags(a, [(0, 40, True), (32, 72, False)])


def c_frag_tiny(a):
    # A first fragment of 8 bytes: the ports, not the rest of the header.
    return frags(a, [(0, 8, True), (8, 72, False)])


def quote_reply(a, proto=None, garbage=8):
    # The header of a reply the director sent: VIP:port -> client.
    proto = proto or a.qproto
    ports = struct.pack("!HH", a.qport, a.cport)
    q = ip_hdr(a.dst, a.src, proto, 8 + garbage) + ports
    return q + os.urandom(garbage + 4)


def icmp(a, body, typ=3, code=3, rest=0):
    return [ip_pkt(a, 1, icmp_err(body, typ, code, rest))]


def c_icmp_inner_trunc(a):
    return icmp(a, quote_reply(a)[:10])


def c_icmp_inner_ihl4(a):
    q = bytearray(quote_reply(a))
    q[0] = 0x44
    return icmp(a, bytes(q))


def c_icmp_inner_ihl15(a):
    # ihl 15: the ports would be 60 bytes in, past the quote.
    q = bytearray(quote_reply(a, garbage=0))
    q[0] = 0x4f
    return icmp(a, bytes(q))


def c_icmp_inner_noports(a):
    return icmp(a, ip_hdr(a.dst, a.src, 6, 8))


def c_icmp_inner_frag(a):
    # A quoted non-first fragment: no ports to read.
    q = ip_hdr(a.dst, a.src, a.qproto, 8, frag=0x0010) + os.urandom(8)
    return icmp(a, q)


def c_icmp_nat_garbage(a):
    # Names a live NAT connection, then 200 bytes of noise.
    return icmp(a, quote_reply(a, garbage=200))


def c_icmp_nat_fragneeded(a):
    return icmp(a, quote_reply(a, garbage=0), code=4, rest=0)


def c_icmp_ipip_pmtu(a):
    # "Fragmentation needed" for an IP-in-IP packet the director sent,
    # with absurd MTUs.
    out = []
    for mtu in (0, 68, 65535):
        q = ip_hdr(a.inner_src, a.inner_dst, 4, 20) + os.urandom(8)
        out += icmp(a, q, code=4, rest=mtu)
    return out


CASES = {
    "ip-short": c_ip_short,
    "ip-ihl4": c_ip_ihl4,
    "ip-totlen-long": c_ip_totlen_long,
    "ip-totlen-short": c_ip_totlen_short,
    "ip-bad-csum": c_ip_bad_csum,
    "ip-options": c_ip_options,
    "ip-options-bad": c_ip_options_bad,
    "ip-options-lsrr": c_ip_options_lsrr,
    "tcp-trunc": c_tcp_trunc,
    "tcp-doff3": c_tcp_doff3,
    "tcp-doff15": c_tcp_doff15,
    "tcp-xmas": c_tcp_xmas,
    "udp-len-long": c_udp_len_long,
    "udp-len-short": c_udp_len_short,
    "udp-trunc": c_udp_trunc,
    "frag-ok": c_frag_ok,
    "frag-first": c_frag_first,
    "frag-middle": c_frag_middle,
    "frag-overlap": c_frag_overlap,
    "frag-tiny": c_frag_tiny,
    "icmp-inner-trunc": c_icmp_inner_trunc,
    "icmp-inner-ihl4": c_icmp_inner_ihl4,
    "icmp-inner-ihl15": c_icmp_inner_ihl15,
    "icmp-inner-noports": c_icmp_inner_noports,
    "icmp-inner-frag": c_icmp_inner_frag,
    "icmp-nat-garbage": c_icmp_nat_garbage,
    "icmp-nat-fragneeded": c_icmp_nat_fragneeded,
    "icmp-ipip-pmtu": c_icmp_ipip_pmtu,
    "sctp-trunc": c_sctp_trunc,
    "sctp-nochunk": c_sctp_nochunk,
    "sctp-chunk-trunc": c_sctp_chunk_trunc,
    "sctp-cookie-len0": c_sctp_cookie_len0,
    "sctp-cookie-len-huge": c_sctp_cookie_len_huge,
    "sctp-init": c_sctp_init,
}

# ------------------------------------------------------------ sending


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def open_link(iface, dstmac):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    with open("/sys/class/net/%s/address" % iface) as f:
        src = mac_bytes(f.read().strip())
    return s, mac_bytes(dstmac) + src + struct.pack("!H", ETH_P_IP)


def send(args):
    random.seed("%s-%d" % (args.case, args.seed))
    s, eth = open_link(args.iface, args.dstmac)
    fn = CASES[args.case]
    n = 0
    for _ in range(args.count):
        for p in fn(args):
            s.send(eth + p)
            n += 1
    print("%s: %d frames" % (args.case, n))


def snmp(pid):
    # Every counter of /proc/PID/net/{snmp,netstat}: {"IpInReceives": n}
    out = {}
    for f in ("snmp", "netstat"):
        with open("/proc/%s/net/%s" % (pid, f)) as fh:
            lines = fh.read().splitlines()
        for names, values in zip(lines[0::2], lines[1::2]):
            pre = names.split(":")[0]
            for k, v in zip(names.split()[1:], values.split()[1:]):
                out[pre + k] = int(v)
    return out


def moved(before, after):
    skip = ("Octets", "ECT", "Bcast", "Mcast", "Forwarding", "DefaultTTL")
    return ["%s+%d" % (k, after[k] - before.get(k, 0)) for k in after
            if after[k] != before.get(k, 0) and not
            any(x in k for x in skip)]


def suite(args):
    pids = dict(kv.split("=") for kv in args.pids.split(","))
    s, eth = open_link(args.iface, args.dstmac)
    hold = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    hold.bind(("0.0.0.0", args.cport))
    for case in args.cases:
        if case.startswith("icmp-nat"):
            hold.sendto(b"hold", (args.dst, args.qport))
            time.sleep(0.3)
        random.seed("%s-%d" % (case, args.seed))
        before = {ns: snmp(pid) for ns, pid in pids.items()}
        for _ in range(args.count):
            for p in CASES[case](args):
                s.send(eth + p)
        time.sleep(0.3)
        after = {ns: snmp(pid) for ns, pid in pids.items()}

        def delta(ns, k):
            return after[ns].get(k, 0) - before[ns].get(k, 0)
        print("%s rs=%d rsn=%d rsn_icmp=%d dir=%s" %
              (case, delta("rs", "IpInReceives"),
               delta("rsn", "IpInReceives"), delta("rsn", "IcmpInMsgs"),
               " ".join(moved(before["dir"], after["dir"])) or "-"),
              flush=True)


def syn_flood(args):
    net, plen = args.net.split("/")
    base = struct.unpack("!I", socket.inet_aton(net))[0]
    span = (1 << (32 - int(plen))) - 2
    s, eth = open_link(args.iface, args.dstmac)
    random.seed(args.seed)
    start = time.monotonic()
    for _ in range(args.count):
        src = socket.inet_ntoa(struct.pack("!I", base + 1 +
                                           random.randrange(span)))
        seg = tcp_seg(src, args.dst, rport(), args.port)
        s.send(eth + ip_hdr(src, args.dst, 6, len(seg)) + seg)
    secs = max(time.monotonic() - start, 1e-6)
    print("syn-flood: %d SYNs in %.1f s (%d/s)" %
          (args.count, secs, args.count / secs))


def tcp_probe(args):
    tried = answered = 0
    print("probe: started", flush=True)
    while not os.path.exists(args.stopfile) and \
            (not args.max or tried < args.max):
        tried += 1
        try:
            c = socket.create_connection((args.dst, args.port), timeout=3)
            c.settimeout(3)
            if c.recv(64):
                answered += 1
            c.close()
        except OSError:
            pass
    print("probe: %d tried, %d answered" % (tried, answered))


def udp_hold(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", args.sport))
    s.sendto(b"hold", (args.dst, args.port))


def main():
    p = argparse.ArgumentParser(description="hostile IPv4 frames")
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    for name in ("iface", "dstmac", "src", "dst"):
        ps.add_argument(name)
    ps.add_argument("case", choices=sorted(CASES))
    ps.add_argument("count", type=int)
    sub.add_parser("cases")
    pz = sub.add_parser("suite")
    for name in ("iface", "dstmac", "src", "dst"):
        pz.add_argument(name)
    pz.add_argument("count", type=int)
    pz.add_argument("pids")
    pz.add_argument("cases", nargs="+", choices=sorted(CASES))
    for sp in (ps, pz):
        sp.add_argument("--tcp-port", type=int, default=25)
        sp.add_argument("--udp-port", type=int, default=53)
        sp.add_argument("--sctp-port", type=int, default=2905)
        sp.add_argument("--cport", type=int, default=40000)
        sp.add_argument("--qport", type=int, default=54)
        sp.add_argument("--qproto", type=int, default=17)
        sp.add_argument("--inner-src", default="192.0.2.6")
        sp.add_argument("--inner-dst", default="203.0.113.99")
        sp.add_argument("--seed", type=int, default=1)
    pf = sub.add_parser("syn-flood")
    for name in ("iface", "dstmac", "net", "dst"):
        pf.add_argument(name)
    pf.add_argument("port", type=int)
    pf.add_argument("count", type=int)
    pf.add_argument("--seed", type=int, default=1)
    pp = sub.add_parser("tcp-probe")
    pp.add_argument("dst")
    pp.add_argument("port", type=int)
    pp.add_argument("stopfile")
    pp.add_argument("max", type=int, nargs="?", default=0)
    pu = sub.add_parser("udp-hold")
    pu.add_argument("sport", type=int)
    pu.add_argument("dst")
    pu.add_argument("port", type=int)
    args = p.parse_args()
    if args.cmd == "send":
        send(args)
    elif args.cmd == "suite":
        suite(args)
    elif args.cmd == "tcp-probe":
        tcp_probe(args)
    elif args.cmd == "cases":
        print("\n".join(CASES))
    elif args.cmd == "syn-flood":
        syn_flood(args)
    else:
        udp_hold(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
