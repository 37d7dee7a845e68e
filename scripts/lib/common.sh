# Shared by scripts/test and scripts/demo: install what is missing, build.
# Sourced, not run.

ARCS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ARCS_PACKAGES=(build-essential cmake pkg-config git clang libclang-rt-14-dev
    libpq-dev libssl-dev libcjson-dev libcmocka-dev libmicrohttpd-dev curl
    postgresql-15 postgresql-client-15 locales python3 time hyperfine chromium
    chromium-driver python3-selenium)

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages that are missing; do nothing when all are there.
arcs_install_deps() {
    local missing=() p
    for p in "${ARCS_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# arcs_build DIR [CMAKE ARGS...]: configure and build.
arcs_build() {
    local dir=$1
    shift
    cmake -S "$ARCS_ROOT" -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}
