#!/bin/bash
# Builds the testbed's bus topology on a real Linux machine whose kernel has the modules:
# vcan0, vcan1, a vxcan pair, vcanxl0 (Linux 6.2+), TIPC with a peer node in a network
# namespace, and two emulated Bluetooth controllers. `down` removes what `up` made.
# Idempotent. Prints the environment the hil-tests read (see vcan-setup/README.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/topology.sh
source "$here/lib/topology.sh"
# shellcheck disable=SC2034 # read by bed_say
BED_WHO=host-setup
bt0='' bt1=''

usage() { echo "usage: vcan-setup/host-setup.sh up|down" >&2; }

need_root() {
  ((EUID == 0)) || { bed_say "needs root (creating interfaces, loading modules): sudo $0 $1"; exit 1; }
}

load_modules() {
  local m missing=()
  for m in "${BED_MODULES[@]}"; do
    [[ -d /sys/module/$m ]] || modprobe "$m" 2>/dev/null || missing+=("$m")
  done
  if ((${#missing[@]})); then
    bed_say "this kernel ($(uname -r)) lacks modules: ${missing[*]}"
    bed_say "install its modules package (Debian/Ubuntu: linux-modules-extra-$(uname -r) or linux-image-*)," \
      "or use vcan-setup/testbed, which boots a kernel that has them"
    return 1
  fi
}

need_tools() {
  local c missing=()
  for c in ip tipc btvirt hciconfig nsenter; do command -v "$c" >/dev/null || missing+=("$c"); done
  if ((${#missing[@]})); then
    bed_say "missing tools: ${missing[*]} (Debian: apt-get install iproute2 bluez bluez-test-tools util-linux)"
    return 1
  fi
}

case ${1:-} in
up)
  need_root up
  need_tools
  load_modules
  bed_bt_start
  bed_net_up
  bed_tipc_up
  bed_bt_wait 20
  bed_bt_controllers
  bed_bt_up "${BED_HCI[0]}" "${BED_HCI[1]}"
  bed_tipc_wait 20
  bed_bt_addr bt0 "${BED_HCI[0]}"
  bed_bt_addr bt1 "${BED_HCI[1]}"
  bed_say "up. For the hil-tests:"
  echo "export BUSES_CAN_IF=$BED_CAN_IF BUSES_CAN_IF2=$BED_CAN_IF2 BUSES_VXCAN=${BED_VXCAN[0]},${BED_VXCAN[1]}"
  if [[ -e /sys/class/net/$BED_CANXL_IF ]]; then echo "export BUSES_CANXL_IF=$BED_CANXL_IF"; fi
  echo "export BUSES_BT0_IF=${BED_HCI[0]} BUSES_BT1_IF=${BED_HCI[1]} BUSES_BT0=$bt0 BUSES_BT1=$bt1"
  echo "export BUSES_TIPC_NODE=$BED_TIPC_NODE_NUM BUSES_TIPC_PEER_NODE=$BED_TIPC_PEER_NUM BUSES_TIPC_PEER_NETNS=$BED_TIPC_PEER_NETNS"
  ;;
down)
  need_root down
  bed_bt_down
  bed_net_down
  bed_say "down"
  ;;
*) usage; exit 2 ;;
esac
