#!/bin/bash
# Prints a directory of newer kernel UAPI headers for the ABI check to put before the system's.
#
# The host's linux-libc-dev (Debian 12: Linux 6.1) predates names the library uses against the
# bed's kernel (CAN XL VCID options, Linux 6.9). The headers of the same kernel series the
# testbed boots come from Debian's linux-headers-<version>-common package, downloaded and
# unpacked (not installed), and cached. Only the families whose system headers lag are
# overlaid: mixing one kernel's whole UAPI with another's asm/ headers is asking for trouble.
#
# Usage: tests/Bus.Abi.Tests/kernel-headers.sh   (env BUSES_ABI_HEADERS_META overrides the
# metapackage that names the version; BUSES_ABI_HEADERS_CACHE the cache directory)
set -euo pipefail

meta=${BUSES_ABI_HEADERS_META:-linux-headers-6.12-amd64}
cache=${BUSES_ABI_HEADERS_CACHE:-/var/cache/buses-abi}
overlaid=(linux/can.h linux/can)

say() { printf 'kernel-headers: %s\n' "$*" >&2; }

resolve() {
  apt-cache depends "$meta" 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-headers-[0-9]/ { sub(/-[a-z0-9]+$/, "-common", $2); print $2; exit }'
}
pkg=$(resolve) || true
if [[ -z $pkg ]]; then
  apt-get update >&2 || true
  pkg=$(resolve) || true
fi
[[ -n $pkg ]] || { say "apt knows no $meta; cannot fetch newer UAPI headers"; exit 1; }

dir=$cache/$pkg
if [[ ! -e $dir/.complete ]]; then
  say "fetching $pkg for the ABI check (once; cached in $dir)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # Root downloads into a private directory the _apt user cannot write: no sandbox to drop to.
  (cd "$work" && apt-get -o APT::Sandbox::User=root download "$pkg" >&2)
  dpkg-deb -x "$work"/*.deb "$work/x"
  uapi=$(echo "$work"/x/usr/src/linux-headers-*/include/uapi)
  [[ -d $uapi ]] || { say "$pkg has no include/uapi"; exit 1; }
  rm -rf "$dir"
  mkdir -p "$dir/include/linux"
  for path in "${overlaid[@]}"; do
    cp -r "$uapi/$path" "$dir/include/$path"
  done
  echo "$pkg" >"$dir/.complete"
fi
echo "$dir/include"
