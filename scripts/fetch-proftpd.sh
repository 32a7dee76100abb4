#!/usr/bin/env bash
# Fetches ProFTPD 1.3.8 with mod_proxy (Debian 12's packages) and unpacks it into a git-ignored
# folder, for the gateway benchmark's contender (bench/proxy-session.ts, bench/proxy-scale.ts) and
# test/e2e/harness/proftpd.ts. Nothing is installed system-wide: Debian refuses proftpd beside
# vsftpd (both provide ftp-server), so the packages are only downloaded (`apt-get download`) and
# unpacked (`dpkg-deb -x`), with the shared libraries the machine lacks unpacked beside them.
#
#   scripts/fetch-proftpd.sh            # into .tools/proftpd
#   scripts/fetch-proftpd.sh DIR        # elsewhere (then FTPWIRE_PROFTPD_DIR=DIR for the harness)
#
# Then: DIR/usr/sbin/proftpd with LD_LIBRARY_PATH=DIR/usr/lib/x86_64-linux-gnu and
# `ModulePath DIR/usr/lib/proftpd` in its configuration.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/.tools/proftpd}"
mkdir -p "$dir/debs"
dir="$(cd "$dir" && pwd)"
cd "$dir/debs"

# proftpd-basic is a metapackage in Debian 12: the server is in proftpd-core, mod_tls in
# proftpd-mod-crypto.
packages=(proftpd-core proftpd-mod-crypto proftpd-mod-proxy)
# The libraries proftpd and mod_proxy link that a machine with vsftpd usually lacks, by soname.
declare -A library_packages=(
  [libhiredis.so.0.14]=libhiredis0.14
  [libmemcached.so.11]=libmemcached11
  [libmemcachedutil.so.2]=libmemcachedutil2
  [libhashkit.so.2]=libhashkit2
  [libpcre2-posix.so.3]=libpcre2-posix3
  [libsodium.so.23]=libsodium23
  [libsqlite3.so.0]=libsqlite3-0
)

# apt warns that root downloads outside _apt's sandbox into this folder; that is intended.
download() { apt-get download -q "$@" 2> >(grep -v 'unsandboxed' >&2); }

if ! ls proftpd-mod-crypto_*.deb >/dev/null 2>&1; then
  download "${packages[@]}" 2>/dev/null || {
    apt-get update -qq >/dev/null
    download "${packages[@]}"
  }
fi
for deb in *.deb; do dpkg-deb -x "$deb" "$dir"; done

libs="$dir/usr/lib/x86_64-linux-gnu"
mkdir -p "$libs"
# ldd names what is missing; each round may reveal a library's own missing dependency.
for _ in 1 2 3 4; do
  missing="$(
    LD_LIBRARY_PATH="$libs" ldd "$dir/usr/sbin/proftpd" "$dir"/usr/lib/proftpd/mod_{proxy,tls}.so |
      awk '/not found/ { print $1 }' | sort -u
  )"
  [ -z "$missing" ] && break
  wanted=()
  for soname in $missing; do
    package="${library_packages[$soname]:-}"
    if [ -z "$package" ]; then
      echo "fetch-proftpd: $soname is missing and no package is known for it" >&2
      exit 1
    fi
    wanted+=("$package")
  done
  download "${wanted[@]}"
  for package in "${wanted[@]}"; do dpkg-deb -x "$(ls "${package}"_*.deb | head -n 1)" "$dir"; done
done
if [ -n "$missing" ]; then
  echo "fetch-proftpd: still missing: $missing" >&2
  exit 1
fi
LD_LIBRARY_PATH="$libs" "$dir/usr/sbin/proftpd" --version
echo "fetch-proftpd: ready in $dir (mod_proxy package $(dpkg-deb -f proftpd-mod-proxy_*.deb Version))"
