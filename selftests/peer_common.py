# SPDX-License-Identifier: GPL-2.0
#
# What the traffic peers peer.py (IPv4) and peer6.py (IPv6) have in
# common: their UDP, TCP and SCTP clients and servers, given the address
# family, and their command line. Each peer keeps what is its own: the
# payloads, the answers of its UDP server, how its TCP client connects,
# and the subcommands only it has.

import hashlib
import os
import random
import socket
import struct
import sys
import threading
import time

TIMEOUT = 3.0

ANY = {
    socket.AF_INET: "0.0.0.0",
    socket.AF_INET6: "::",
}
TOS = {
    socket.AF_INET: (socket.IPPROTO_IP, socket.IP_TOS),
    socket.AF_INET6: (socket.IPPROTO_IPV6, getattr(socket, "IPV6_TCLASS", 67)),
}
RECVERR = {
    socket.AF_INET: (socket.SOL_IP, getattr(socket, "IP_RECVERR", 11)),
    socket.AF_INET6: (socket.IPPROTO_IPV6,
                      getattr(socket, "IPV6_RECVERR", 25)),
}


def endpoint(family, sa):
    if family == socket.AF_INET6:
        return "[%s]:%d" % sa[:2]
    return "%s:%d" % sa[:2]


def udp_serve(family, addr, port, errlog, answer):
    """Answer every datagram with answer(data, src) until killed.

    With errlog, a port unreachable about an answer appends
    "refused ENDPOINT" (where the answer was going) to that file.
    """
    s = socket.socket(family, socket.SOCK_DGRAM)
    if errlog:
        s.setsockopt(*RECVERR[family], 1)
    s.bind((addr, int(port)))
    while True:
        try:
            data, src = s.recvfrom(65536)
        except ConnectionRefusedError:
            dst = s.recvmsg(2048, 512, socket.MSG_ERRQUEUE)[3]
            with open(errlog, "a") as f:
                f.write("refused %s\n" % endpoint(family, dst))
            continue
        s.sendto(answer(data, src).encode(), src)


def ask(family, host, port, payload, setup=None):
    """Send payload from a fresh socket, a new flow for the director.

    Returns the answer and where it came from, or None on timeout.
    setup(sock) prepares the socket before it sends.
    """
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    if setup:
        setup(s)
    s.sendto(payload, (host, int(port)))
    try:
        return s.recvfrom(2048)
    except socket.timeout:
        return None
    finally:
        s.close()


def udp_ask(family, host, port, payloads, setup=None):
    for payload in payloads:
        got = ask(family, host, port, payload, setup)
        if got is None:
            print("timeout")
            continue
        data, src = got
        print("%s %s" % (data.decode(), endpoint(family, src)))


def udp_flows(family, host, *flows):
    """One datagram on each flow "SPORT:DPORT[:TOS]" to host.

    A flow is its fixed source port: the same SPORT again is the same
    connection for the director. All datagrams leave before any answer is
    awaited, so that flows left unanswered cost one timeout together.
    One line per flow, in order: "ANSWER FROM:PORT" or "timeout".
    """
    socks = []
    for flow in flows:
        sport, dport, *tos = (int(v, 0) for v in flow.split(":"))
        s = socket.socket(family, socket.SOCK_DGRAM)
        if tos:
            s.setsockopt(*TOS[family], tos[0])
        s.bind((ANY[family], sport))
        s.sendto(b"flow", (host, dport))
        socks.append(s)
    deadline = time.monotonic() + TIMEOUT
    for s in socks:
        s.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            data, src = s.recvfrom(2048)
            print("%s %s" % (data.decode(), endpoint(family, src)))
        except socket.timeout:
            print("timeout")
        s.close()


def udp_refused(family, host, port, sport=0):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", int(sport)))
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


def blob_serve(family, port, path):
    with open(path, "rb") as f:
        blob = f.read()
    ls = socket.socket(family, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((ANY[family], int(port)))
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


def blob_get(s):
    s.sendall(b"G")
    s.shutdown(socket.SHUT_WR)
    print(drain(s))


def blob_put(s, path):
    with open(path, "rb") as f:
        s.sendall(b"P" + f.read())
    s.shutdown(socket.SHUT_WR)
    print(s.makefile().readline().strip())


def ftp_get(host, mode, path):
    """RETR path from anonymous FTP at host, in active or passive mode.

    Prints the data connection's command and the server's answer to it
    (PORT/EPRT or PASV/EPSV), then the file's first line. The address
    of a 227 answer is trusted, as clients of old did, so that it is the
    one the data connection goes to.
    """
    import ftplib

    class Recorder(ftplib.FTP):
        seen = "none"

        def sendcmd(self, cmd):
            resp = super().sendcmd(cmd)
            if cmd.split(" ")[0] in ("PORT", "EPRT", "PASV", "EPSV"):
                self.seen = "%s -> %s" % (cmd, resp)
            return resp

    ftp = Recorder(timeout=10)
    ftp.trust_server_pasv_ipv4_address = True
    chunks = []
    try:
        ftp.connect(host, 21)
        ftp.login()
        ftp.set_pasv(mode == "passive")
        ftp.retrbinary("RETR " + path, chunks.append)
        ftp.quit()
    except ftplib.all_errors as e:
        sys.exit("ftp-get: %s (%s)" % (e, ftp.seen))
    print(ftp.seen)
    print(b"".join(chunks).decode().split("\n")[0])


def sctp_socket(family):
    return socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_SCTP)


def sctp_answer(conn, src, answer):
    with conn:
        conn.settimeout(60)
        try:
            while conn.recv(2048):
                conn.sendall(answer(src).encode())
        except OSError:
            pass


def sctp_serve(family, addr, port, answer):
    """Answer every message with answer(src) until killed."""
    ls = sctp_socket(family)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(16)
    while True:
        conn, src = ls.accept()
        threading.Thread(target=sctp_answer, args=(conn, src, answer),
                         daemon=True).start()


def sctp_round(s, host, port):
    """Connect, one message and its answer: "ANSWER FROM:PORT"."""
    s.settimeout(TIMEOUT * 3)
    s.connect((host, int(port)))
    s.sendall(b"ask")
    data = s.recv(2048)
    if not data:
        raise ConnectionResetError("no answer")
    return "%s %s" % (data.decode(), endpoint(s.family, s.getpeername()))


def sctp_ask(family, host, port, n):
    for _ in range(n):
        s = sctp_socket(family)
        try:
            print(sctp_round(s, host, port), flush=True)
        except OSError:
            print("failed", flush=True)
        s.close()


def sctp_hold(family, host, port, flag):
    s = sctp_socket(family)
    try:
        print(sctp_round(s, host, port), flush=True)
    except OSError:
        print("failed", flush=True)
        return
    deadline = time.monotonic() + 60
    while not os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.2)
    s.close()
    print("closed", flush=True)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def sctp_packet(sport, dport, ctype):
    """Common header with a random tag and one chunk of ctype, CRC32c on."""
    body = struct.pack("!BBH4s", ctype, 0, 8, b"\0\0\0\0")
    head = struct.pack("!HHI", sport, dport, random.getrandbits(32))
    pkt = head + b"\0\0\0\0" + body
    return head + struct.pack("<I", crc32c(pkt)) + body


def main(prog, commands):
    """Run the subcommand named by sys.argv[1].

    commands maps each name to (function, fewest arguments, most).
    """
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: %s %s ..." % (prog, "|".join(sorted(commands))))
    fn, lo, hi = commands[sys.argv[1]]
    args = sys.argv[2:]
    if not lo <= len(args) <= hi:
        sys.exit("%s %s: wrong number of arguments" % (prog, sys.argv[1]))
    try:
        fn(*args)
    except OSError as e:
        sys.exit("%s %s: %s" % (prog, sys.argv[1], e))
