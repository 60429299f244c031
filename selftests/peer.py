#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Traffic peers for the ip_vs_lite forwarding selftests (nat.sh, tun.sh,
# local.sh, sctp.sh): clients and servers that report what they saw, so that the
# scripts can assert on addresses and payloads rather than on exit codes.
#
#   peer.py udp-serve NAME PORT [ADDR [ERRLOG]]
#       Answer every datagram with "NAME <sender address>", a datagram
#       "late" one second later (see udp-gone). ADDR is the address to
#       bind (default any): a DR or tunnel real server binds the VIP so
#       that its answers leave from the VIP. With ERRLOG, an ICMP port
#       unreachable about an answer (IP_RECVERR) appends "refused
#       ADDR:PORT" (where the answer was going) to that file.
#   peer.py udp-ask HOST PORT N
#       N datagrams, each from a fresh socket (a new flow for the
#       director). One line per datagram: "NAME SEEN-CLIENT FROM:PORT"
#       (FROM:PORT is where the answer came from), or "timeout".
#   peer.py udp-flows HOST SPORT:DPORT[:TOS]...
#       One datagram on each flow, from source port SPORT (with IP_TOS
#       TOS) to HOST:DPORT: the same SPORT on another run is the same
#       connection for the director. One line per flow, in order:
#       "NAME SEEN-CLIENT FROM:PORT", or "timeout" (all share one).
#   peer.py udp-gone HOST PORT
#       One datagram "late" from a socket closed at once: the answer,
#       held back by the server, finds the port closed and the client's
#       stack sends an ICMP port unreachable back.
#   peer.py udp-refused HOST PORT [SPORT]
#       One datagram from a connected socket; prints "refused" when an
#       ICMP port unreachable came back (ECONNREFUSED), "answered" or
#       "timeout" otherwise.
#   peer.py blob-serve PORT FILE
#       TCP server, one connection at a time. A client that sends "G"
#       gets FILE and then EOF; one that sends "P" followed by data and
#       EOF gets back "MD5 LENGTH" of that data.
#   peer.py blob-get HOST PORT        prints "MD5 LENGTH" of FILE as received
#   peer.py blob-put HOST PORT FILE   prints the server's "MD5 LENGTH"
#   peer.py tcp-ticks HOST PORT SECS OUT
#       One TCP connection that sends "tick N" every half second for SECS
#       seconds and appends each answer line to OUT as it comes ("lost N"
#       and the end, when none came or the connection failed).
#   peer.py tcp-reuse HOST PORT SPORT N rst|fin
#       N connections in a row from source port SPORT, each closed with a
#       reset or a FIN (then the next waits out a second so the client's
#       TIME_WAIT may be reused); prints the second word of each first
#       line received (an SMTP banner's server name), "none" if nothing.
#   peer.py raw-send PROTO HOST N
#       N packets of IP protocol PROTO (ESP 50, AH 51) with a dummy
#       payload to HOST (IPv4 or IPv6).
#   peer.py raw-log PROTO OUT [6]
#       Append the source address of every packet of IP protocol PROTO
#       this netns receives (IPv6 with "6") to OUT, one line each.
#   peer.py icmp-quote HOST QSRC QSPORT QDST QDPORT
#       An ICMP "fragmentation needed" to HOST quoting a UDP datagram
#       QSRC:QSPORT -> QDST:QDPORT, as a router on the way would send.
#   peer.py udp-big HOST SPORT DPORT SIZE
#       One datagram of SIZE bytes with DF set whatever the path MTU
#       (IP_PMTUDISC_PROBE) from SPORT to HOST:DPORT; prints the first
#       word of the answer, or "timeout".
#   peer.py sctp-serve NAME PORT [ADDR]
#       SCTP server (one-to-one style, SOCK_STREAM) bound to ADDR (default
#       any): every message of an association is answered with "NAME
#       <client address>".
#   peer.py sctp-ask HOST PORT N
#       N associations in a row, each one message and its answer, then a
#       graceful shutdown. One line each: "NAME SEEN-CLIENT FROM:PORT"
#       (FROM:PORT: the association's primary peer address), or "failed".
#   peer.py sctp-hold HOST PORT FLAG
#       One association: prints the answer to one message, then keeps the
#       association up until the file FLAG exists (60 s at most) and
#       shuts it down gracefully, printing "closed".
#   peer.py sctp-chunk HOST PORT SPORT TYPE
#       One raw SCTP packet from SPORT to HOST:PORT holding a single
#       chunk of TYPE (a number, e.g. 0 DATA, 4 HEARTBEAT), with a valid
#       CRC32c, as a peer of an association this host never saw sends.
#   peer.py tx-csum on|off|show IFACE...
#       Set (or show) transmit checksum offload through the ethtool
#       ioctl, which works where the ethtool program is not installed;
#       prints the resulting state of each device.
#
# What peer6.py does the same way lives in peer_common.py.

import array
import fcntl
import socket
import struct
import sys
import time
from functools import partial

# Leave no __pycache__ behind in the source tree the peers run from.
sys.dont_write_bytecode = True
import peer_common


def udp_serve(name, port, addr="0.0.0.0", errlog=None):
    def answer(data, src):
        if data == b"late":
            time.sleep(1)
        return "%s %s" % (name, src[0])

    peer_common.udp_serve(socket.AF_INET, addr, port, errlog, answer)


def udp_gone(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"late", (host, int(port)))
    s.close()


def udp_ask(host, port, n):
    payloads = (b"ask %d" % i for i in range(int(n)))
    peer_common.udp_ask(socket.AF_INET, host, port, payloads)


def connect(host, port):
    return socket.create_connection((host, int(port)), timeout=10)


def blob_get(host, port):
    peer_common.blob_get(connect(host, port))


def blob_put(host, port, path):
    peer_common.blob_put(connect(host, port), path)


SIOCETHTOOL = 0x8946
ETHTOOL_GTXCSUM = 0x16
ETHTOOL_STXCSUM = 0x17


def tcp_ticks(host, port, secs, out):
    s = socket.create_connection((host, int(port)), timeout=5)
    s.settimeout(2)
    r = s.makefile("rb")
    end = time.monotonic() + float(secs)
    n = 0
    with open(out, "a", buffering=1) as o:
        while time.monotonic() < end:
            try:
                s.sendall(b"tick %d\n" % n)
                line = r.readline().decode(errors="replace").strip()
            except OSError:
                line = ""
            if not line:
                o.write("lost %d\n" % n)
                break
            o.write(line + "\n")
            n += 1
            time.sleep(0.5)
    s.close()


def tcp_reuse(host, port, sport, n, how):
    names = []
    for i in range(int(n)):
        if i and how == "fin":
            time.sleep(1.1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(5)
        name = "none"
        try:
            s.bind(("0.0.0.0", int(sport)))
            s.connect((host, int(port)))
            words = s.makefile("rb").readline().split()
            name = words[1].decode() if len(words) > 1 else "none"
        except OSError:
            pass
        if how == "rst":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        s.close()
        names.append(name)
    print(" ".join(names))


def raw_family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def raw_send(proto, host, n):
    s = socket.socket(raw_family(host), socket.SOCK_RAW, int(proto))
    # An SPI and a sequence number, then filler: enough to look like ESP.
    for i in range(int(n)):
        s.sendto(struct.pack("!II", 0x1000, i + 1) + bytes(32), (host, 0))
        time.sleep(0.05)


def raw_log(proto, out, six=None):
    af = socket.AF_INET6 if six else socket.AF_INET
    s = socket.socket(af, socket.SOCK_RAW, int(proto))
    with open(out, "a", buffering=1) as o:
        while True:
            _, src = s.recvfrom(65535)
            o.write(src[0] + "\n")


def inet_csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def icmp_quote(host, qsrc, qsport, qdst, qdport):
    udp = struct.pack("!HHHH", int(qsport), int(qdport), 8 + 32, 0)
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + 32, 0, 0x4000, 64,
                      socket.IPPROTO_UDP, 0, socket.inet_aton(qsrc),
                      socket.inet_aton(qdst))
    iph = iph[:10] + struct.pack("!H", inet_csum(iph)) + iph[12:]
    body = struct.pack("!BBHHH", 3, 4, 0, 0, 1400) + iph + udp
    body = body[:2] + struct.pack("!H", inet_csum(body)) + body[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.sendto(body, (host, 0))


def udp_big(host, sport, dport, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # IP_MTU_DISCOVER, IP_PMTUDISC_PROBE: not all Pythons name them.
    s.setsockopt(socket.IPPROTO_IP, 10, 3)
    s.bind(("0.0.0.0", int(sport)))
    s.settimeout(3)
    s.sendto(b"x" * int(size), (host, int(dport)))
    try:
        print(s.recv(65535).split()[0].decode())
    except (OSError, IndexError):
        print("timeout")


def sctp_serve(name, port, addr="0.0.0.0"):
    peer_common.sctp_serve(socket.AF_INET, addr, port,
                           lambda src: "%s %s" % (name, src[0]))


def sctp_ask(host, port, n):
    peer_common.sctp_ask(socket.AF_INET, host, port, int(n))


def sctp_hold(host, port, flag):
    peer_common.sctp_hold(socket.AF_INET, host, port, flag)


def sctp_chunk(host, port, sport, ctype):
    # IPPROTO_SCTP raw: the kernel adds the IP header, the rest is ours.
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_SCTP)
    s.sendto(peer_common.sctp_packet(int(sport), int(port), int(ctype)),
             (host, 0))


def ethtool_value(sock, ifname, cmd, data=0):
    val = array.array("I", [cmd, data])
    addr, _ = val.buffer_info()
    ifr = struct.pack("16sP", ifname.encode(), addr)
    fcntl.ioctl(sock.fileno(), SIOCETHTOOL, ifr)
    return val[1]


def tx_csum(want, *ifnames):
    if want not in ("on", "off", "show"):
        sys.exit("peer.py tx-csum: on, off or show")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for ifname in ifnames:
        if want != "show":
            ethtool_value(s, ifname, ETHTOOL_STXCSUM, int(want == "on"))
        state = ethtool_value(s, ifname, ETHTOOL_GTXCSUM)
        print("%s %s" % (ifname, "on" if state else "off"))


COMMANDS = {
    "udp-serve": (udp_serve, 2, 4),
    "udp-gone": (udp_gone, 2, 2),
    "udp-ask": (udp_ask, 3, 3),
    "udp-flows": (partial(peer_common.udp_flows, socket.AF_INET), 2, 64),
    "udp-refused": (partial(peer_common.udp_refused, socket.AF_INET), 2, 3),
    "blob-serve": (partial(peer_common.blob_serve, socket.AF_INET), 2, 2),
    "blob-get": (blob_get, 2, 2),
    "blob-put": (blob_put, 3, 3),
    "sctp-serve": (sctp_serve, 2, 3),
    "sctp-ask": (sctp_ask, 3, 3),
    "sctp-hold": (sctp_hold, 3, 3),
    "sctp-chunk": (sctp_chunk, 4, 4),
    "tx-csum": (tx_csum, 2, 16),
    "tcp-ticks": (tcp_ticks, 4, 4),
    "tcp-reuse": (tcp_reuse, 5, 5),
    "raw-send": (raw_send, 3, 3),
    "raw-log": (raw_log, 2, 3),
    "icmp-quote": (icmp_quote, 5, 5),
    "udp-big": (udp_big, 4, 4),
    "ftp-get": (peer_common.ftp_get, 3, 3),
}


if __name__ == "__main__":
    peer_common.main("peer.py", COMMANDS)
