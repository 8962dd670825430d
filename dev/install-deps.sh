#!/usr/bin/env bash
# Installs what the embedded MySQL 8.0.31 (testkit) needs and a fresh Debian machine lacks: libaio.so.1.
# Idempotent and quiet when nothing is missing.
set -euo pipefail

have_libaio() {
  ldconfig -p 2>/dev/null | grep -q 'libaio\.so\.1 ' || ls /usr/lib/x86_64-linux-gnu/libaio.so.1 >/dev/null 2>&1
}

if have_libaio; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "binrelay: installing libaio1 (needed by the embedded mysqld)" >&2
$SUDO apt-get update -qq
if apt-cache show libaio1 >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq libaio1 >/dev/null
else
  # Debian 13 renamed the package (64-bit time_t); mysqld still asks for libaio.so.1.
  $SUDO apt-get install -y -qq libaio1t64 >/dev/null
  $SUDO ln -sf /usr/lib/x86_64-linux-gnu/libaio.so.1t64 /usr/lib/x86_64-linux-gnu/libaio.so.1
  $SUDO ldconfig
fi
have_libaio || { echo "binrelay: libaio.so.1 is still missing after installing libaio1" >&2; exit 1; }
