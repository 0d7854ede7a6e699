#!/usr/bin/env bash
# Installs the Debian packages the project needs, if missing: Chromium (browser tests), Noto CJK fonts
# (Chinese text in screenshots and PDFs), Droid Sans Fallback (a TrueType CJK font: the 一事一档 PDF embeds it
# several times faster than the Noto CJK collection), Pango/HarfBuzz (WeasyPrint lays out PDFs with them: QR posters)
# poppler-utils (pdftoppm/pdffonts for PDF checks), and systemd and nginx to check deploy/.
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
fi
[ "$purpose" = "bench" ] && packages+=(wrk)  # the HTTP load client of bench/votes.py and bench/intake.py

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
