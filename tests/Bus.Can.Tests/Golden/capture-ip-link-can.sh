#!/bin/sh
# Captures the RTM_NEWLINK request bytes iproute2 sends for `ip link set DEV type can …`.
# Runs in a private network namespace against `lo` (ifindex 1): the kernel rejects a "can" kind
# there (no CAN driver), but the request is already on the wire, which is all a golden vector needs.
# Output: one line per vector, "<ip arguments after 'type can'>|<hex of the request>".
# Usage: capture-ip-link-can.sh > ip-link-can.golden
set -eu
capture() {
  out=$(mktemp)
  unshare -n sh -c "strace -o '$out' -e trace=sendmsg -e write=all ip link set lo type can $1" >/dev/null 2>&1 || true
  # The last sendmsg is the RTM_NEWLINK request (the first resolves the name).
  hex=$(awk '/^sendmsg/ {buf=""} /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {line=substr($0, 11, 49); gsub(/ /, "", line); buf=buf line} END {print buf}' "$out")
  rm -f "$out"
  printf '%s|%s\n' "$1" "$hex"
}
capture "bitrate 500000"
capture "bitrate 500000 sample-point 0.875"
capture "bitrate 1000000 sample-point 0.8"
capture "tq 125 prop-seg 6 phase-seg1 7 phase-seg2 2 sjw 1"
capture "tq 50 prop-seg 14 phase-seg1 15 phase-seg2 10"
capture "bitrate 500000 dbitrate 2000000 fd on"
capture "bitrate 500000 sample-point 0.8 dbitrate 4000000 dsample-point 0.75 fd on"
capture "dtq 25 dprop-seg 3 dphase-seg1 4 dphase-seg2 2 dsjw 1"
capture "loopback on"
capture "loopback off"
capture "listen-only on triple-sampling off"
capture "one-shot on berr-reporting on"
capture "fd on"
capture "fd on fd-non-iso on"
capture "presume-ack on cc-len8-dlc on"
capture "restart-ms 100"
capture "restart-ms 0"
capture "restart"
capture "termination 120"
capture "termination 0"
capture "bitrate 250000 sample-point 0.875 loopback on listen-only off restart-ms 50 termination 120"
