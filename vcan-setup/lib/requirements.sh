# shellcheck shell=bash disable=SC2034
# What each test tier uses from outside the project, as probe=package requirements (the forms
# are in lib/packages.sh). One list per tier, used both to install and to check: ./test and the
# testbed call ensure_debian_packages with these, so nothing is installed that is not checked
# and nothing is checked that is not installed. Debian's essential tools (coreutils, bash,
# awk, sed, grep, gzip, dpkg, apt) are taken as given, as is the .NET SDK.

# The host tier (tests/*): the ABI check's compilers, headers and qemu-user for the Raspberry
# Pi ABIs (the cross headers are not Depends of the cross gcc packages, only Recommends; BlueZ's
# Bluetooth headers serve all three, see CProbe), ip for
# private network namespaces, sysctl in them, tshark to read captures back, python3 as a socket
# peer, kill (the CLI's signal tests), and python3 again for ./test's own result counting.
BUSES_HOST_TIER_NEEDS=(
  gcc=gcc
  'gcc:<stdio.h>=libc6-dev'
  'gcc:<linux/can.h>=linux-libc-dev'
  'gcc:<bluetooth/bluetooth.h>=libbluetooth-dev'
  aarch64-linux-gnu-gcc=gcc-aarch64-linux-gnu
  'aarch64-linux-gnu-gcc:<stdio.h>=libc6-dev-arm64-cross'
  'aarch64-linux-gnu-gcc:<linux/can.h>=linux-libc-dev-arm64-cross'
  arm-linux-gnueabihf-gcc=gcc-arm-linux-gnueabihf
  'arm-linux-gnueabihf-gcc:<stdio.h>=libc6-dev-armhf-cross'
  'arm-linux-gnueabihf-gcc:<linux/can.h>=linux-libc-dev-armhf-cross'
  qemu-aarch64=qemu-user
  qemu-arm=qemu-user
  ip=iproute2
  tshark=tshark
  python3=python3
  sysctl=procps
  kill=procps
)

# The bed tier, host side (vcan-setup/testbed): QEMU, the initramfs tools (the static busybox:
# a dynamic one cannot run before the chroot), the module tools, and python3 for unpacking the
# kernel image and stripping module signatures; flock for the cache lock and ./buses' build lock.
BUSES_BED_HOST_NEEDS=(
  qemu-system-x86_64=qemu-system-x86
  '=busybox-static'
  cpio=cpio
  depmod=kmod
  xz=xz-utils
  zstd=zstd
  python3=python3
  flock=util-linux
)

# The bed tier, inside the guest. The guest runs on the host's root filesystem (read-only over
# 9p), so these are host packages too: the bed's own setup (guest/bed.sh, lib/topology.sh:
# ip, tipc, nsenter, btvirt, hciconfig, modprobe) and the tools the hil-tests run as peers
# (can-utils, tc, kill, btmgmt, Debian's own python3 with AF_BLUETOOTH) or start (vcan-setup/host-setup.sh).
BUSES_BED_GUEST_NEEDS=(
  ip=iproute2
  tipc=iproute2
  tc=iproute2
  nsenter=util-linux
  setsid=util-linux
  modprobe=kmod
  btvirt=bluez-test-tools
  hciconfig=bluez
  btmgmt=bluez
  '/usr/bin/python3=python3'
  candump=can-utils
  cansend=can-utils
  cangen=can-utils
  canplayer=can-utils
  kill=procps
)
