#!/bin/sh
# Captures the netlink request bytes can-utils' cangw sends for each command line below.
# Runs in a private network namespace with a veth pair named vcan0/vcan1 (this host has no CAN: the
# kernel refuses the AF_CAN request with EOPNOTSUPP, but the request is already on the wire, which is
# all a golden vector needs). The first line records the interface indexes the vectors were taken with.
# Output: "# vcan0=N vcan1=M", then one line per vector, "<cangw arguments>|<hex of the request>".
# Usage: capture-cangw.sh > cangw.golden
set -eu
D64=00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF
CRC=$(i=0; while [ $i -lt 256 ]; do printf '%02X' $(( (i * 7 + 3) % 256 )); i=$((i + 1)); done)
unshare -n sh -s "$D64" "$CRC" <<'INNER'
set -eu
D64=$1 CRC=$2
ip link add vcan0 type veth peer name vcan1
printf '# vcan0=%s vcan1=%s\n' "$(ip -o link show vcan0 | cut -d: -f1)" "$(ip -o link show vcan1 | cut -d: -f1)"
capture() {
  out=$(mktemp)
  strace -o "$out" -e trace=sendto -e write=all cangw "$@" >/dev/null 2>&1 || true
  hex=$(awk '/^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {line=substr($0, 11, 49); gsub(/ /, "", line); buf=buf line} END {print buf}' "$out")
  rm -f "$out"
  printf '%s|%s\n' "$*" "$hex"
}
capture -A -s vcan0 -d vcan1
capture -A -s vcan0 -d vcan1 -e
capture -A -s vcan0 -d vcan1 -e -t -i
capture -A -s vcan0 -d vcan1 -e -f 123:7FF -m SET:IL:333.4.1122334455667788
capture -A -s vcan1 -d vcan0 -f 123~7FF
capture -A -s vcan0 -d vcan1 -f 80000123:DFFFFFFF
capture -A -s vcan0 -d vcan1 -u 1A2B -l 3
capture -A -s vcan0 -d vcan1 -m AND:ID:7FF.F.FFFFFFFFFFFFFFFF -m OR:D:0.0.0100000000000000 -m XOR:L:0.1.0000000000000000 -m SET:I:42.0.0000000000000000
capture -A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -x 0:6:7:AA
capture -A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -x -1:-3:-2:00
capture -A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -c 0:6:7:FF:00:$CRC
capture -A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -c 1:6:0:FF:FF:$CRC -p 1:5A
capture -A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -c 1:6:0:00:00:$CRC -p 2:0F0E0D0C0B0A09080706050403020100
capture -A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -c 0:7:-1:00:00:$CRC -p 3:
capture -A -s vcan0 -d vcan1 -X -e
capture -A -s vcan0 -d vcan1 -X -M SET:IFLD:333.1.8.$D64
capture -A -s vcan0 -d vcan1 -X -M AND:L:0.0.3F.$D64 -M XOR:F:0.2.0.$D64
capture -A -s vcan0 -d vcan1 -X -M SET:D:0.0.0.$D64 -x 0:62:63:00
capture -D -s vcan0 -d vcan1 -e -f 123:7FF -m SET:IL:333.4.1122334455667788
capture -D -s vcan0 -d vcan1
capture -F
capture -L
INNER
