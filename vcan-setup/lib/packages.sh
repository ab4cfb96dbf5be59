# shellcheck shell=bash
# Installs missing Debian packages on first use, for the testbed and for ./test's tiers, then
# checks that what they were installed for is really there. CI and new machines start clean;
# the project's own scripts must bring what they need, and a package that installs without
# what it was expected to bring (a header left to a Recommends that --no-install-recommends
# drops) must stop the run with its name, not turn into test failures later.
#
# A requirement is "probe=package": the probe says what a tier uses, the package provides it.
#   "command=package"           command is a program on PATH (or in /usr/sbin, /sbin)
#   "compiler:<header>=package" compiler compiles and links a C program that includes header
#   "=package"                  dpkg lists package as installed (for what no probe can see)
# The lists of what each tier needs are in lib/requirements.sh.
#
# ensure_debian_packages WHO REQUIREMENT...
#   installs the packages of the unmet requirements (as root), then checks every requirement.
#   Returns non-zero, naming each unmet requirement and its package, when one is still unmet.
# check_requirements WHO REQUIREMENT...
#   the check alone.
# WHO prefixes the messages ("test: host tier", "testbed").

# Succeeds when the requirement's probe finds what it names.
requirement_met() {
  local probe=${1%%=*} pkg=${1#*=} compiler header dir rc
  case $probe in
  '')
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == *" installed" ]]
    ;;
  *':<'*'>')
    compiler=${probe%%:*}
    header=${probe#*:<}
    header=${header%>}
    type -P "$compiler" >/dev/null || return 1
    # Linking too, not just compiling: the probes the tests build need the C library's startup
    # files and libc.so of that target, which come with its headers.
    dir=$(mktemp -d) || return 1
    rc=0
    printf '#include <%s>\nint main(void) { return 0; }\n' "$header" >"$dir/probe.c"
    "$compiler" -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1 || rc=1
    rm -rf "$dir"
    return "$rc"
    ;;
  *)
    # type -P, not command -v: the tests start programs, and bash's builtin kill is no /usr/bin/kill.
    type -P "$probe" >/dev/null || PATH=$PATH:/usr/sbin:/sbin type -P "$probe" >/dev/null
    ;;
  esac
}

# What the requirement's probe looks for, in words.
requirement_text() {
  local probe=${1%%=*} pkg=${1#*=}
  case $probe in
  '') printf 'the package %s' "$pkg" ;;
  *':<'*'>') printf '%s for %s' "${probe#*:}" "${probe%%:*}" ;;
  *) printf 'the command %s' "$probe" ;;
  esac
}

check_requirements() {
  local who=$1 spec unmet=()
  shift
  for spec in "$@"; do
    if ! requirement_met "$spec"; then
      printf '%s needs %s: install %s\n' "$who" "$(requirement_text "$spec")" "${spec#*=}" >&2
      unmet+=("${spec#*=}")
    fi
  done
  ((${#unmet[@]})) || return 0
  mapfile -t unmet < <(printf '%s\n' "${unmet[@]}" | sort -u)
  printf '%s: missing what it needs; as root: apt-get install --no-install-recommends %s\n' "$who" "${unmet[*]}" >&2
  return 1
}

ensure_debian_packages() {
  local who=$1 spec missing=()
  shift
  for spec in "$@"; do
    requirement_met "$spec" || missing+=("${spec#*=}")
  done
  if ((${#missing[@]})) && ((EUID == 0)); then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    printf '%s: installing %s (first use)\n' "$who" "${missing[*]}" >&2
    # Waits for another apt run instead of failing on its lock; refreshes stale lists once.
    local apt=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" "${missing[@]}" >&2 ||
      { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" "${missing[@]}" >&2; } ||
      printf '%s: could not install %s\n' "$who" "${missing[*]}" >&2
  fi
  # Checked again after the install: apt succeeding is not the same as the probe succeeding.
  check_requirements "$who" "$@"
}
