# shellcheck shell=bash
# Runs inside the guest, chrooted into the host's root (read-only 9p), as a child of the
# initramfs init. Sourced from the per-run script the host wrote, which has already set the
# TB_* variables. Builds the bed, reports "ready" on the control port, runs the command with
# its output on the host's stdout/stderr ports, and reports its exit status.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib/topology.sh
source "$TB_HERE/lib/topology.sh"

# Sets VAR to /dev/vportNpM, the port the host named with -device virtserialport,name=….
# Results go through variables rather than $(…) throughout: every fork counts under emulation.
tb_port() { # VAR NAME
  local p name
  for p in /sys/class/virtio-ports/*; do
    read -r name <"$p/name"
    [[ $name == "$2" ]] && { printf -v "$1" '/dev/%s' "${p##*/}"; return 0; }
  done
  echo "testbed: no virtio port named $2" >&2
  return 1
}

if [[ $TB_VERBOSE == 1 ]]; then
  PS4='+ ${EPOCHREALTIME} '
  set -x
fi
ctl_port='' out_port='' err_port=''
tb_port ctl_port testbed.ctl
tb_port out_port testbed.out
tb_port err_port testbed.err
exec 9<>"$ctl_port"
tb_ctl() { printf '%s\n' "$*" >&9; }
tb_setup_failed() { tb_ctl "setup-failed line $2: $3 (status $1)"; exit 125; }
trap 'tb_setup_failed $? $LINENO "$BASH_COMMAND"' ERR

# The host has no /lib/modules for this kernel and its root is read-only here, so both the
# kernel's autoloader and a test's own `modprobe` use the wrapper the testbed put next to the
# unpacked tree.
echo "$TB_MODPROBE" >/proc/sys/kernel/modprobe
export PATH="${TB_MODPROBE%/*}:$TB_PATH"

# TIPC is the long way: a chain of processes per node, then each node's one-second address
# trial, then the link. btvirt starts first (it makes its controllers meanwhile), both TIPC
# nodes are set up side by side, and the controllers are raised during the address trials:
# raising them earlier only slows the TIPC chains down.
bed_bt_start
bed_net_up
bed_tipc_up
bed_bt_wait 20
bed_bt_up "${BED_HCI[0]}" "${BED_HCI[1]}"
bed_tipc_wait 20

export BUSES_TESTBED=1
read -r BUSES_KERNEL </proc/sys/kernel/osrelease
export BUSES_KERNEL
export BUSES_CAN_IF=$BED_CAN_IF BUSES_CAN_IF2=$BED_CAN_IF2
export BUSES_VXCAN="${BED_VXCAN[0]},${BED_VXCAN[1]}"
if [[ -e /sys/class/net/$BED_CANXL_IF ]]; then export BUSES_CANXL_IF=$BED_CANXL_IF; fi
export BUSES_BT0_IF=${BED_HCI[0]} BUSES_BT1_IF=${BED_HCI[1]}
bed_bt_addr BUSES_BT0 "${BED_HCI[0]}"
bed_bt_addr BUSES_BT1 "${BED_HCI[1]}"
export BUSES_BT0 BUSES_BT1
BUSES_TIPC_NODE=$BED_TIPC_NODE_NUM
BUSES_TIPC_PEER_NODE=$BED_TIPC_PEER_NUM
export BUSES_TIPC_NODE BUSES_TIPC_PEER_NODE BUSES_TIPC_PEER_NETNS=$BED_TIPC_PEER_NETNS
export BUSES_RESULTS=$TB_RESULTS BUSES_TESTBED_ACCEL=$TB_ACCEL
# .NET and friends want a writable home (made by init); the host's is read-only in here.
export HOME=/tmp/home DOTNET_CLI_HOME=/tmp/home TMPDIR=/tmp
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

read -r uptime _ </proc/uptime
tb_ctl "ready $uptime"
# The host prints its timing line before the command's first output, then answers.
read -r -t 10 _ <&9 || true
trap - ERR
set +x
cd "$TB_CWD"

set +e
if [[ $TB_INTERACTIVE == 1 ]]; then
  stty -F /dev/ttyS0 sane rows "$TB_ROWS" cols "$TB_COLS"
  echo "testbed: $(env | grep -c '^BUSES_') BUSES_* variables set; 'env | grep BUSES_' lists them; exit or ^D powers off."
  setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
  status=$?
else
  "${TB_CMD[@]}" </dev/null >"$out_port" 2>"$err_port"
  status=$?
fi
tb_ctl "exit $status"
