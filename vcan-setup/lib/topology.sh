# shellcheck shell=bash
# The settings below are read by the scripts that source this file.
# shellcheck disable=SC2034
# The bus topology the bed promises. Sourced by the guest's bed.sh and by host-setup.sh, so a
# real Linux machine and the throwaway guest build exactly the same interfaces and names.
# Every function is idempotent: it checks before it creates.

# Loaded up front rather than left to autoload: the guest has no /lib/modules for the kernel
# to find them in, and btvirt needs the AF_ALG ones without ever asking for them by name.
BED_MODULES=(can can_raw can_bcm can_isotp can_j1939 can_gw vcan vxcan veth tipc
  af_alg algif_skcipher algif_hash cmac ecb ccm bluetooth hci_vhci rfcomm bnep)

BED_CAN_IF=vcan0
BED_CAN_IF2=vcan1
BED_VXCAN=(vxcan0 vxcan1)
BED_CANXL_IF=vcanxl0
BED_TIPC_PEER_NETNS=buses-tipc-peer
# An identity whose first 12 bytes are zero becomes the node address verbatim
# (tipc_node_id2hash), so sockaddr_tipc shows 1 and 2. tipc(8) takes only a 32-digit identity
# as hex; a shorter one is copied as text ("1" would be the byte 0x31).
BED_TIPC_NODE=00000000000000000000000000000001
BED_TIPC_PEER_NODE=00000000000000000000000000000002
BED_TIPC_VETH=(tipc0 tipc1)

bed_say() { printf '%s: %s\n' "${BED_WHO:-testbed}" "$*" >&2; }

# Process start-up is the expensive part under software emulation (each one costs ~0.1 s of
# a TCG guest), so the functions below batch ip(8) commands and keep to bash builtins.

# CAN XL (MTU 2060 on vcan) arrived in Linux 6.2.
bed_kernel_has_canxl() {
  local major minor
  IFS=. read -r major minor _ </proc/sys/kernel/osrelease
  ((major > 6 || (major == 6 && minor >= 2)))
}

# Prints `ip -batch` lines that create and raise NAME unless it exists.
bed_link_cmds() { # NAME KIND [MTU]
  [[ -e /sys/class/net/$1 ]] || echo "link add dev $1 type $2"
  [[ -z ${3:-} ]] || echo "link set dev $1 mtu $3"
  echo "link set dev $1 up"
}

bed_net_up() {
  local ns=$BED_TIPC_PEER_NETNS
  {
    echo "link set dev lo up"
    # vcan's default MTU is already CANFD_MTU (72); set anyway so a reused interface that
    # someone shrank to 16 is put back.
    bed_link_cmds "$BED_CAN_IF" vcan 72
    bed_link_cmds "$BED_CAN_IF2" vcan 72
    [[ -e /sys/class/net/${BED_VXCAN[0]} ]] ||
      echo "link add dev ${BED_VXCAN[0]} type vxcan peer name ${BED_VXCAN[1]}"
    echo "link set dev ${BED_VXCAN[0]} up"
    echo "link set dev ${BED_VXCAN[1]} up"
    if bed_kernel_has_canxl; then bed_link_cmds "$BED_CANXL_IF" vcan 2060; fi
    [[ -e /run/netns/$ns ]] || echo "netns add $ns"
    [[ -e /sys/class/net/${BED_TIPC_VETH[0]} ]] ||
      echo "link add dev ${BED_TIPC_VETH[0]} type veth peer name ${BED_TIPC_VETH[1]} netns $ns"
    echo "link set dev ${BED_TIPC_VETH[0]} up"
  } | ip -batch -
  # The peer namespace's links come up in bed_tipc_up, which enters it anyway.
}

bed_net_down() {
  local name ns=$BED_TIPC_PEER_NETNS
  tipc bearer disable media eth device "${BED_TIPC_VETH[0]}" 2>/dev/null || true
  for name in "$BED_CAN_IF" "$BED_CAN_IF2" "${BED_VXCAN[0]}" "$BED_CANXL_IF" "${BED_TIPC_VETH[0]}"; do
    [[ ! -e /sys/class/net/$name ]] || ip link del dev "$name"
  done
  [[ ! -e /run/netns/$ns ]] || ip netns del "$ns"
}

# TIPC refuses a new identity once the node has one (set, or derived from a MAC when its first
# bearer came up): on a real host someone else may own it, so that refusal is not an error.
# The addresses actually in force are read back by bed_tipc_wait.
bed_tipc_up() {
  local ns=$BED_TIPC_PEER_NETNS peer
  # nsenter rather than `ip netns exec` or `ip -n`: only the network namespace is needed, and
  # ip's extra mount namespace and sysfs remount cost a second under emulation. The two nodes
  # are set up side by side, so that their address trials overlap.
  nsenter --net="/run/netns/$ns" sh -ec "printf 'link set dev lo up\nlink set dev %s up\n' ${BED_TIPC_VETH[1]} | ip -batch -
    tipc node set identity $BED_TIPC_PEER_NODE 2>/dev/null || true
    tipc bearer enable media eth device ${BED_TIPC_VETH[1]} 2>/dev/null || true" &
  peer=$!
  tipc node set identity "$BED_TIPC_NODE" 2>/dev/null || true
  tipc bearer enable media eth device "${BED_TIPC_VETH[0]}" 2>/dev/null || true
  wait "$peer"
}

# Neighbour discovery takes a moment; a test that starts before the link is up sees a
# one-node cluster, which is exactly what a cluster test must not mistake for success.
# A node's address is 0 until its trial period ends, and a link made meanwhile keeps the 0 in
# its name, so the addresses are read from each node, not from the link.
# Sets BED_TIPC_NODE_NUM and BED_TIPC_PEER_NUM (decimal, as sockaddr_tipc carries them).
# Each check runs until it has passed once (an assigned address never changes), so the
# addresses are read while the link is still coming up rather than after it.
bed_tipc_wait() { # SECONDS
  local deadline=$((SECONDS + $1)) links='' ours=0 peer=0 up=0 out
  local re=":${BED_TIPC_VETH[0]}-[0-9a-f]+:${BED_TIPC_VETH[1]}: up"
  while :; do
    if ((ours == 0)) && out=$(tipc node get address 2>/dev/null) && [[ $out =~ ^[0-9a-f]+$ ]]; then
      ours=$((16#$out))
    fi
    if ((peer == 0)) && out=$(nsenter --net="/run/netns/$BED_TIPC_PEER_NETNS" tipc node get address 2>/dev/null) &&
      [[ $out =~ ^[0-9a-f]+$ ]]; then
      peer=$((16#$out))
    fi
    if ((up == 0)) && links=$(tipc link list 2>/dev/null) && [[ $links =~ $re ]]; then
      up=1
    fi
    ((ours == 0 || peer == 0 || up == 0)) || break
    ((SECONDS < deadline)) ||
      { bed_say "TIPC link to the peer namespace did not come up (links: ${links//$'\n'/; }; addresses $ours, $peer)"; return 1; }
    bed_sleep 0.1
  done
  BED_TIPC_NODE_NUM=$ours
  BED_TIPC_PEER_NUM=$peer
}

# sleep(1) without starting a process: a read that times out on a pipe nobody writes.
bed_sleep() {
  if [[ -z ${BED_SLEEP_FD:-} ]]; then
    local fifo=/run/buses-testbed/sleep.fifo
    [[ -d ${fifo%/*} ]] || mkdir -p "${fifo%/*}"
    [[ -p $fifo ]] || mkfifo "$fifo"
    exec {BED_SLEEP_FD}<>"$fifo"
  fi
  read -r -t "$1" -u "$BED_SLEEP_FD" _ || true
}

BED_BTVIRT_PIDFILE=/run/buses-testbed/btvirt.pid

# btvirt -l2 puts two emulated controllers on one virtual air: hci0 can page hci1 once hci1
# is connectable, with no bluetoothd involved.
bed_bt_start() {
  local pid=
  # The bluetooth directory shows only once debugfs is mounted, which spares mountpoint(1).
  [[ -e /sys/kernel/debug/bluetooth ]] || mountpoint -q /sys/kernel/debug ||
    mount -t debugfs debugfs /sys/kernel/debug
  [[ -d ${BED_BTVIRT_PIDFILE%/*} ]] || mkdir -p "${BED_BTVIRT_PIDFILE%/*}"
  [[ ! -s $BED_BTVIRT_PIDFILE ]] || read -r pid <"$BED_BTVIRT_PIDFILE"
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then return 0; fi
  setsid btvirt -l2 </dev/null >"${BED_BTVIRT_PIDFILE%/*}/btvirt.log" 2>&1 &
  echo $! >"$BED_BTVIRT_PIDFILE"
}

# btvirt's controllers live on the virtual bus, real adapters under usb/uart/sdio devices: a
# real host may already have its own adapter as hci0.
bed_bt_wait() { # SECONDS
  local deadline=$((SECONDS + $1)) pid
  read -r pid <"$BED_BTVIRT_PIDFILE"
  until bed_bt_controllers && ((${#BED_HCI[@]} >= 2)); do
    kill -0 "$pid" 2>/dev/null || { bed_say "btvirt died: $(<"${BED_BTVIRT_PIDFILE%/*}/btvirt.log")"; return 1; }
    ((SECONDS < deadline)) || { bed_say "btvirt made no controllers in $1 s"; return 1; }
    bed_sleep 0.05
  done
}

bed_bt_controllers() { # -> BED_HCI
  local d
  BED_HCI=()
  for d in /sys/devices/virtual/bluetooth/hci*; do
    [[ -e $d ]] && BED_HCI+=("${d##*/}")
  done
  return 0
}

bed_bt_up() { # HCI_A HCI_B
  hciconfig "$1" up
  hciconfig "$2" up
  # Page scan on the acceptor: the emulator only delivers a connection to a connectable peer.
  hciconfig "$2" piscan
}

bed_bt_addr() { # VAR HCI: upper-case BD_ADDR, from debugfs to spare hciconfig
  local addr
  read -r addr _ <"/sys/kernel/debug/bluetooth/$2/identity"
  printf -v "$1" '%s' "${addr^^}"
}

bed_bt_down() {
  if [[ -s $BED_BTVIRT_PIDFILE ]]; then
    kill "$(<"$BED_BTVIRT_PIDFILE")" 2>/dev/null || true
    rm -f "$BED_BTVIRT_PIDFILE"
  fi
}
