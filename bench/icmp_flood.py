#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""ICMP echo requests to DST at RATE per second for SECS seconds (bench/cost.sh).

ping cannot hold a rate: below 2 ms its interval is a timer's granularity
(about 470/s here) or, in flood mode, as fast as replies come. This sends
in 1 ms batches from a raw socket, the replies answered by the kernel, and
prints "SENT SECONDS RECEIVED".
"""
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    dst, rate, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    ident = os.getpid() & 0xFFFF
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.setblocking(False)
    sent = received = 0
    start = time.monotonic()
    end = start + secs
    while True:
        now = time.monotonic()
        if now >= end:
            break
        due = int((now - start) * rate) + 1
        while sent < due:
            seq = sent & 0xFFFF
            hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
            body = b"nstrace bench"
            pkt = struct.pack("!BBHHH", 8, 0, checksum(hdr + body), ident, seq) + body
            try:
                sock.sendto(pkt, (dst, 0))
            except BlockingIOError:
                break
            sent += 1
        select.select([sock], [], [], 0.001)
        try:
            while True:
                data = sock.recv(2048)
                if len(data) >= 28 and data[20] == 0 and struct.unpack("!H", data[24:26])[0] == ident:
                    received += 1
        except BlockingIOError:
            pass
    time.sleep(0.2)
    try:
        while True:
            data = sock.recv(2048)
            if len(data) >= 28 and data[20] == 0 and struct.unpack("!H", data[24:26])[0] == ident:
                received += 1
    except BlockingIOError:
        pass
    print(sent, "%.3f" % (time.monotonic() - start - 0.2), received)


main()
