#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Traffic peers for selftests/ecmp.sh: real servers that name themselves,
# a client that holds many TCP connections open and logs every answer
# with its time, and a client that maps many one-datagram UDP flows to
# the real server that answered each.
#
#   ecmp_peer.py serve NAME PORT VIP
#       TCP on PORT (any address): answers every line with "NAME". UDP on
#       VIP:PORT (bound to the VIP so that answers leave from it, as a
#       direct-routing real server must): answers every datagram with
#       "NAME".
#   ecmp_peer.py hold HOST PORT N LOG
#       Opens N TCP connections to HOST:PORT and keeps them open until
#       SIGTERM, sending one line a second on each as soon as the previous
#       one was answered. LOG gets one line per event:
#           TIME IDX SPORT WHAT
#       TIME in seconds since the epoch, IDX the connection's number
#       (0..N-1), SPORT its source port, WHAT the name in an answer, or
#       "connected", or a failure: "reset", "eof", "error:ERRNO".
#       "- - all-connected N" follows the last connection.
#   ecmp_peer.py udp-map HOST PORT FIRST COUNT
#       COUNT flows of one datagram each, from source ports FIRST to
#       FIRST + COUNT - 1 (a flow that gets no answer is sent again, the
#       same port keeping it the same flow). Prints "SPORT NAME" per flow,
#       NAME "none" when nothing came back.

import errno
import selectors
import signal
import socket
import sys
import threading
import time

BATCH = 256
UDP_TRIES = 4
UDP_WAIT = 2.0


def serve_tcp_conn(conn, answer):
    buf = b""
    with conn:
        while True:
            try:
                data = conn.recv(4096)
            except OSError:
                return
            if not data:
                return
            buf += data
            while b"\n" in buf:
                _, buf = buf.split(b"\n", 1)
                conn.sendall(answer)


def serve_udp(name, port, vip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((vip, int(port)))
    while True:
        _, peer = s.recvfrom(2048)
        s.sendto(name.encode(), peer)


def serve(name, port, vip):
    threading.Thread(target=serve_udp, args=(name, port, vip),
                     daemon=True).start()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", int(port)))
    ls.listen(128)
    answer = (name + "\n").encode()
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve_tcp_conn, args=(conn, answer),
                         daemon=True).start()


class Held:
    def __init__(self, idx, sock):
        self.idx = idx
        self.sock = sock
        self.sport = sock.getsockname()[1]
        self.buf = b""
        self.waiting = False
        self.seq = 0


class Holder:
    def __init__(self, log):
        self.log = log
        self.sel = selectors.DefaultSelector()
        self.live = {}

    def note(self, c, what):
        self.log.write("%.3f %d %d %s\n" % (time.time(), c.idx, c.sport,
                                             what))

    def fail(self, c, what):
        self.note(c, what)
        self.sel.unregister(c.sock)
        c.sock.close()
        del self.live[c.idx]

    def connect(self, host, port, n):
        for i in range(n):
            s = socket.create_connection((host, port), timeout=10)
            s.setblocking(False)
            c = Held(i, s)
            self.live[i] = c
            self.sel.register(s, selectors.EVENT_READ, c)
            self.note(c, "connected")
        self.log.write("%.3f - - all-connected %d\n" % (time.time(), n))

    def send(self, c):
        c.seq += 1
        try:
            c.sock.send(b"%d\n" % c.seq)
            c.waiting = True
        except ConnectionResetError:
            self.fail(c, "reset")
        except BlockingIOError:
            pass
        except OSError as e:
            self.fail(c, "error:%s" % errno.errorcode.get(e.errno, e.errno))

    def read(self, c):
        try:
            data = c.sock.recv(4096)
        except ConnectionResetError:
            self.fail(c, "reset")
            return
        except OSError as e:
            self.fail(c, "error:%s" % errno.errorcode.get(e.errno, e.errno))
            return
        if not data:
            self.fail(c, "eof")
            return
        c.buf += data
        while b"\n" in c.buf:
            line, c.buf = c.buf.split(b"\n", 1)
            self.note(c, line.decode(errors="replace") or "?")
            c.waiting = False

    def run(self):
        tick = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= tick:
                for c in list(self.live.values()):
                    if not c.waiting:
                        self.send(c)
                tick = now + 1.0
            for key, _ in self.sel.select(max(0.0, tick - time.monotonic())):
                self.read(key.data)


def hold(host, port, n, logpath):
    log = open(logpath, "a", buffering=1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    h = Holder(log)
    h.connect(host, int(port), int(n))
    h.run()


def udp_batch(host, port, ports):
    sel = selectors.DefaultSelector()
    names = {}
    socks = {}
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", p))
        s.setblocking(False)
        socks[p] = s
        sel.register(s, selectors.EVENT_READ, p)
    for _ in range(UDP_TRIES):
        pending = [p for p in ports if p not in names]
        if not pending:
            break
        for p in pending:
            socks[p].sendto(b"?", (host, port))
        deadline = time.monotonic() + UDP_WAIT
        while len(names) < len(ports):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _ in sel.select(left):
                try:
                    data = key.fileobj.recv(2048)
                except OSError:
                    continue
                names[key.data] = data.decode(errors="replace")
    for s in socks.values():
        s.close()
    sel.close()
    return names


def udp_map(host, port, first, count):
    first, count = int(first), int(count)
    for b in range(first, first + count, BATCH):
        ports = list(range(b, min(b + BATCH, first + count)))
        names = udp_batch(host, int(port), ports)
        for p in ports:
            print("%d %s" % (p, names.get(p, "none")))


COMMANDS = {
    "serve": (serve, 3),
    "hold": (hold, 4),
    "udp-map": (udp_map, 4),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: ecmp_peer.py %s ..." % "|".join(sorted(COMMANDS)))
    fn, nargs = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if len(args) != nargs:
        sys.exit("ecmp_peer.py %s: wrong number of arguments" % sys.argv[1])
    try:
        fn(*args)
    except OSError as e:
        sys.exit("ecmp_peer.py %s: %s" % (sys.argv[1], e))


if __name__ == "__main__":
    main()
