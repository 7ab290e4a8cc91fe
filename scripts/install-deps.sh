#!/usr/bin/env bash
# Installs what factorwatch needs to build and test on Debian: the C libraries it links and the Python
# packages its tests use for real SMTP/HTTP servers. Safe to run again; skips what is already there.
set -euo pipefail

packages=(libcurl4-openssl-dev libsqlite3-dev libyaml-dev zlib1g-dev libzstd-dev libsnappy-dev liblz4-dev
          libbrotli-dev pkg-config openssl tzdata python3 python3-pip
          sqlite3 util-linux)
# systemd-analyze, which checks the timers `factorwatch systemd` writes.
packages+=(systemd)
# promtool, the reference the rule language is tested against.
packages+=(prometheus)
# Alertmanager and node_exporter, started by the channel and textfile tests.
packages+=(prometheus-alertmanager prometheus-node-exporter)
# The deployment test: Debian's cron daemon, the package tools (dpkg-deb, dpkg-shlibdeps, fakeroot, strip), the
# system user (adduser) and logrotate, which checks the shipped logrotate file.
packages+=(cron dpkg-dev fakeroot adduser logrotate binutils procps)
# Headless Chromium, which renders `factorwatch report` in its test (screenshot, console).
packages+=(chromium)
# strace (bench/state_bench.py counts an idle run's writes with it), GNU time (peak RSS) and valgrind (instruction
# counts in bench/eval_bench.py), for --bench only.
if [ "${1:-}" = "--bench" ]; then packages+=(strace time valgrind); fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
wanted=()
for module in aiosmtpd pandas pyarrow scipy polars; do
    "$python" -c "import $module" 2>/dev/null || wanted+=("$module")
done
if [ "${1:-}" = "--bench" ]; then
    for module in pandas pyarrow polars duckdb fastparquet; do
        "$python" -c "import $module" 2>/dev/null || wanted+=("$module")
    done
fi
if [ ${#wanted[@]} -gt 0 ]; then
    echo "installing Python packages: ${wanted[*]}"
    "$python" -m pip install -q "${wanted[@]}" 2>/dev/null \
        || "$python" -m pip install -q --break-system-packages "${wanted[@]}"
fi
