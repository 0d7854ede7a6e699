#!/usr/bin/env bash
# Installs the Debian packages the project needs, if missing: Chromium (browser tests), Noto CJK fonts
# (Chinese text in screenshots and PDFs), Droid Sans Fallback (a TrueType CJK font: the 一事一档 PDF embeds it
# several times faster than the Noto CJK collection), Pango/HarfBuzz (WeasyPrint lays out PDFs with them: QR posters)
# poppler-utils (pdftoppm/pdffonts for PDF checks), systemd and nginx to check deploy/, and pgbouncer (the app
# through a transaction-mode pooler).
# Needs root or sudo; on a machine without apt it says what to install and stops.
set -euo pipefail
purpose="${1:-test}"
packages=(fonts-noto-cjk fonts-droid-fallback libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
[ "$purpose" = "test" ] && packages+=(chromium poppler-utils)
# pg_dump / pg_restore for `yishiting backup` / `restore` (same major version as the server: docs/backup.md);
# Debian's postgresql-client-NN provides them without the meta-package
command -v pg_dump >/dev/null 2>&1 || packages+=(postgresql-client)
# systemd-analyze and nginx check the deployment files in deploy/ (yishiting/common/tests/test_deploy.py)
if [ "$purpose" = "test" ]; then
  command -v systemd-analyze >/dev/null 2>&1 || packages+=(systemd)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
  # the app through a transaction-mode pooler (yishiting/common/tests/test_pgbouncer.py starts its own)
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || packages+=(pgbouncer)
fi
[ "$purpose" = "bench" ] && packages+=(wrk)  # the HTTP load client of bench/votes.py and bench/intake.py

# The replica test (yishiting/common/tests/test_replica.py) starts a streaming replica of the local PostgreSQL
# with pg_basebackup: replication connections need their own pg_hba.conf line ("all" does not cover them). Only a
# local test cluster that already trusts every database from 127.0.0.1 gets one, once (idempotent), and a reload.
if [ "$purpose" = "test" ]; then
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -w "$hba" ] || continue
    grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba" || continue
    grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba" && continue
    echo "host replication all 127.0.0.1/32 trust  # yishiting: the replica test (scripts/system-deps.sh)" >> "$hba"
    version="$(basename "$(dirname "$(dirname "$hba")")")"
    pg_ctlcluster "$version" main reload 2>/dev/null || echo "已在 $hba 加入 replication 一行，请重新加载 PostgreSQL。" >&2
  done
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${missing[*]}（本机没有 apt-get，请手动安装）" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "需要 root 权限安装：${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "安装系统软件包：${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's pgbouncer package enables (and, under systemd, starts) a service on port 6432: the tests need only
# the binary
if [[ " ${missing[*]} " == *" pgbouncer "* ]] && command -v systemctl >/dev/null 2>&1; then
  $sudo systemctl disable pgbouncer.service >/dev/null 2>&1 || true
  if [ -d /run/systemd/system ]; then $sudo systemctl stop pgbouncer.service >/dev/null 2>&1 || true; fi
fi
