# shellcheck shell=bash
# Installs missing Debian packages on first use, for the testbed and for ./test's host tier.
# CI and new machines start clean; the project's own scripts must bring what they need.
#
# ensure_debian_packages WHO SPEC...
#   SPEC "command=package": install package when command is not on PATH (or in /usr/sbin, /sbin)
#   SPEC "=package":        install package when dpkg does not list it as installed
# WHO prefixes the messages. Returns non-zero, with the apt-get line to run, when it cannot install.
ensure_debian_packages() {
  local who=$1 spec cmd pkg missing=()
  shift
  for spec in "$@"; do
    cmd=${spec%%=*}
    pkg=${spec#*=}
    if [[ -n $cmd ]]; then
      command -v "$cmd" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" >/dev/null 2>&1 ||
        missing+=("$pkg")
    elif [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) != *" installed" ]]; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]})) || return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if ((EUID != 0)); then
    printf '%s: needs these Debian packages; run as root or: sudo apt-get install %s\n' "$who" "${missing[*]}" >&2
    return 1
  fi
  printf '%s: installing %s (first use)\n' "$who" "${missing[*]}" >&2
  # Waits for another apt run instead of failing on its lock; refreshes stale lists once.
  local apt=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" "${missing[@]}" >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" "${missing[@]}" >&2; } || {
    printf '%s: could not install %s\n' "$who" "${missing[*]}" >&2
    return 1
  }
}
