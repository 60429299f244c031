#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Traffic peers for the ip_vs_lite forwarding selftests (nat.sh, tun.sh,
# local.sh): clients and servers that report what they saw, so that the
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
#   peer.py udp-gone HOST PORT
#       One datagram "late" from a socket closed at once: the answer,
#       held back by the server, finds the port closed and the client's
#       stack sends an ICMP port unreachable back.
#   peer.py udp-refused HOST PORT
#       One datagram from a connected socket; prints "refused" when an
#       ICMP port unreachable came back (ECONNREFUSED), "answered" or
#       "timeout" otherwise.
#   peer.py blob-serve PORT FILE
#       TCP server, one connection at a time. A client that sends "G"
#       gets FILE and then EOF; one that sends "P" followed by data and
#       EOF gets back "MD5 LENGTH" of that data.
#   peer.py blob-get HOST PORT        prints "MD5 LENGTH" of FILE as received
#   peer.py blob-put HOST PORT FILE   prints the server's "MD5 LENGTH"
#   peer.py tx-csum on|off|show IFACE...
#       Set (or show) transmit checksum offload through the ethtool
#       ioctl, which works where the ethtool program is not installed;
#       prints the resulting state of each device.

import array
import fcntl
import hashlib
import socket
import struct
import sys
import time

TIMEOUT = 3.0
IP_RECVERR = getattr(socket, "IP_RECVERR", 11)


def udp_serve(name, port, addr="0.0.0.0", errlog=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if errlog:
        s.setsockopt(socket.SOL_IP, IP_RECVERR, 1)
    s.bind((addr, int(port)))
    while True:
        try:
            data, peer = s.recvfrom(2048)
        except ConnectionRefusedError:
            dst = s.recvmsg(2048, 512, socket.MSG_ERRQUEUE)[3]
            with open(errlog, "a") as f:
                f.write("refused %s:%d\n" % dst)
            continue
        if data == b"late":
            time.sleep(1)
        s.sendto(("%s %s" % (name, peer[0])).encode(), peer)


def udp_gone(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"late", (host, int(port)))
    s.close()


def udp_ask(host, port, n):
    for i in range(int(n)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(TIMEOUT)
        s.sendto(b"ask %d" % i, (host, int(port)))
        try:
            data, src = s.recvfrom(2048)
            print("%s %s:%d" % (data.decode(), src[0], src[1]))
        except socket.timeout:
            print("timeout")
        s.close()


def udp_refused(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.connect((host, int(port)))
    s.send(b"anyone?")
    try:
        s.recv(2048)
        print("answered")
    except ConnectionRefusedError:
        print("refused")
    except socket.timeout:
        print("timeout")


def drain(conn):
    h = hashlib.md5()
    n = 0
    while True:
        d = conn.recv(65536)
        if not d:
            return "%s %d" % (h.hexdigest(), n)
        h.update(d)
        n += len(d)


def blob_serve(port, path):
    with open(path, "rb") as f:
        blob = f.read()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", int(port)))
    ls.listen(4)
    while True:
        conn, _ = ls.accept()
        conn.settimeout(30)
        try:
            op = conn.recv(1)
            if op == b"G":
                conn.sendall(blob)
            elif op == b"P":
                conn.sendall((drain(conn) + "\n").encode())
        except OSError:
            pass
        conn.close()


def connect(host, port):
    return socket.create_connection((host, int(port)), timeout=10)


def blob_get(host, port):
    s = connect(host, port)
    s.sendall(b"G")
    s.shutdown(socket.SHUT_WR)
    print(drain(s))


def blob_put(host, port, path):
    s = connect(host, port)
    with open(path, "rb") as f:
        s.sendall(b"P" + f.read())
    s.shutdown(socket.SHUT_WR)
    print(s.makefile().readline().strip())


SIOCETHTOOL = 0x8946
ETHTOOL_GTXCSUM = 0x16
ETHTOOL_STXCSUM = 0x17


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
    "udp-refused": (udp_refused, 2, 2),
    "blob-serve": (blob_serve, 2, 2),
    "blob-get": (blob_get, 2, 2),
    "blob-put": (blob_put, 3, 3),
    "tx-csum": (tx_csum, 2, 16),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: peer.py %s ..." % "|".join(sorted(COMMANDS)))
    fn, lo, hi = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if not lo <= len(args) <= hi:
        sys.exit("peer.py %s: wrong number of arguments" % sys.argv[1])
    try:
        fn(*args)
    except OSError as e:
        sys.exit("peer.py %s: %s" % (sys.argv[1], e))


if __name__ == "__main__":
    main()
