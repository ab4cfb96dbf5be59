#!/usr/bin/env python3
"""The Python baseline for bench/run: receive N CAN frames with the socket module's recv().

usage: can_recv.py IFACE COUNT RCVBUF -- prints 'ready' once bound, starts on a line on stdin.
"""
import socket
import sys
import time

SO_RCVBUFFORCE = 33  # asm-generic; the socket module does not export it


def main() -> None:
    iface, count, rcvbuf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    s = socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
    s.bind((iface,))
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    recv = s.recv
    for _ in range(count):
        recv(16)
    seconds = time.perf_counter() - start
    print(f"frames={count} seconds={seconds:.6f}", flush=True)


main()
