#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 traffic peers for the ip_vs_lite IPv6 selftests (ipv6*.sh): the
# IPv6 counterparts of peer.py's clients and servers, which report what
# they saw so that the scripts can assert on addresses, lengths and
# payloads, plus extension headers on demand.
#
#   peer6.py udp-serve NAME PORT [ADDR [ERRLOG]]
#       Answer every datagram with "NAME <sender address> <length>".
#       ADDR is the address to bind (default any): a DR or tunnel real
#       server binds the VIP so that its answers leave from the VIP.
#       With ERRLOG, an ICMPv6 port unreachable about an answer
#       (IPV6_RECVERR) appends "refused [ADDR]:PORT" (where the answer
#       was going) to that file.
#   peer6.py udp-gone HOST PORT
#       One datagram from a port no socket holds: the answer finds the
#       port closed, and the client's stack sends a port unreachable.
#   peer6.py udp-ask HOST PORT N [SIZE [dstopts|hopopts]]
#       N datagrams of SIZE bytes (default 16), each from a fresh socket
#       (a new flow for the director). With "dstopts" or "hopopts",
#       every datagram carries a destination options or a hop-by-hop
#       options header. One line per datagram:
#       "NAME SEEN-CLIENT LENGTH [FROM]:PORT" (FROM:PORT is where the
#       answer came from), or "timeout".
#   peer6.py udp-flows HOST SPORT:DPORT[:TCLASS]...
#       One datagram on each flow, from source port SPORT to HOST:DPORT,
#       as peer.py udp-flows does. One line per flow, in order:
#       "NAME SEEN-CLIENT LENGTH [FROM]:PORT", or "timeout".
#   peer6.py udp-sources HOST PORT N SRC...
#       N datagrams from each source address SRC, each from a fresh
#       socket bound to SRC. One line per datagram: "SRC NAME SEEN"
#       (SEEN is the client address the server saw), or "SRC timeout".
#   peer6.py udp-refused HOST PORT
#       One datagram from a connected socket; prints "refused" when an
#       ICMPv6 port unreachable came back (ECONNREFUSED), "answered" or
#       "timeout" otherwise.
#   peer6.py blob-serve PORT FILE
#       TCP server, one connection at a time. A client that sends "G"
#       gets FILE and then EOF; one that sends "P" followed by data and
#       EOF gets back "MD5 LENGTH" of that data.
#   peer6.py blob-get HOST PORT [dstopts|hopopts]
#       prints "MD5 LENGTH" of FILE as received
#   peer6.py blob-put HOST PORT FILE [dstopts|hopopts]
#       prints the server's "MD5 LENGTH"
#   With dstopts or hopopts, every segment the client sends, the SYN
#   included, carries that extension header.
#   peer6.py sctp-serve NAME PORT [ADDR]
#   peer6.py sctp-ask HOST PORT N
#       As peer.py's, over IPv6.
#
# What peer.py does the same way lives in peer_common.py.

import socket
import struct
import sys
from functools import partial

# Leave no __pycache__ behind in the source tree the peers run from.
sys.dont_write_bytecode = True
import peer_common

IPV6_CHECKSUM = getattr(socket, "IPV6_CHECKSUM", 7)

# An options header holding a single PadN option: the smallest extension
# header a receiver must walk and then ignore. The kernel fills in the
# next header field.
PADN_OPTS = bytes([0, 0, 1, 4, 0, 0, 0, 0])
EXTHDRS = {
    "dstopts": socket.IPV6_DSTOPTS,
    "hopopts": socket.IPV6_HOPOPTS,
}


def with_exthdr(s, flag):
    if flag is None:
        return
    if flag not in EXTHDRS:
        raise OSError("unknown option %r" % flag)
    s.setsockopt(socket.IPPROTO_IPV6, EXTHDRS[flag], PADN_OPTS)


def udp_serve(name, port, addr="::", errlog=None):
    def answer(data, src):
        return "%s %s %d" % (name, src[0], len(data))

    peer_common.udp_serve(socket.AF_INET6, addr, port, errlog, answer)


def udp_gone(host, port):
    # A free port, then a datagram from it through a raw socket: no UDP
    # socket holds the port when the answer comes, however soon.
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", 0))
    sport = s.getsockname()[1]
    s.close()
    payload = b"gone"
    udp = struct.pack("!HHHH", sport, int(port), 8 + len(payload), 0)
    r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_UDP)
    # The kernel computes the checksum, at offset 6 of the UDP header.
    r.setsockopt(socket.IPPROTO_IPV6, IPV6_CHECKSUM, 6)
    r.sendto(udp + payload, (host, 0))
    r.close()


def udp_ask(host, port, n, size="16", flag=None):
    payload = b"x" * int(size)
    peer_common.udp_ask(socket.AF_INET6, host, port, [payload] * int(n),
                        lambda s: with_exthdr(s, flag))


def udp_sources(host, port, n, *srcs):
    for src in srcs:
        for _ in range(int(n)):
            got = peer_common.ask(socket.AF_INET6, host, port, b"who",
                                  lambda s: s.bind((src, 0)))
            if got is None:
                print(src, "timeout")
                continue
            name, seen = got[0].decode().split()[:2]
            print(src, name, seen)


def connect(host, port, flag):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.settimeout(10)
    with_exthdr(s, flag)
    s.connect((host, int(port)))
    return s


def blob_get(host, port, flag=None):
    peer_common.blob_get(connect(host, port, flag))


def blob_put(host, port, path, flag=None):
    peer_common.blob_put(connect(host, port, flag), path)


def sctp_serve(name, port, addr="::"):
    peer_common.sctp_serve(socket.AF_INET6, addr, port,
                           lambda src: "%s %s" % (name, src[0]))


def sctp_ask(host, port, n):
    peer_common.sctp_ask(socket.AF_INET6, host, port, int(n))


COMMANDS = {
    "udp-serve": (udp_serve, 2, 4),
    "udp-gone": (udp_gone, 2, 2),
    "udp-ask": (udp_ask, 3, 5),
    "udp-sources": (udp_sources, 4, 1000),
    "udp-flows": (partial(peer_common.udp_flows, socket.AF_INET6), 2, 64),
    "udp-refused": (partial(peer_common.udp_refused, socket.AF_INET6), 2, 3),
    "blob-serve": (partial(peer_common.blob_serve, socket.AF_INET6), 2, 2),
    "blob-get": (blob_get, 2, 3),
    "blob-put": (blob_put, 3, 4),
    "ftp-get": (peer_common.ftp_get, 3, 3),
    "sctp-serve": (sctp_serve, 2, 3),
    "sctp-ask": (sctp_ask, 3, 3),
}


if __name__ == "__main__":
    peer_common.main("peer6.py", COMMANDS)
