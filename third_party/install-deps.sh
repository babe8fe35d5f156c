#!/usr/bin/env bash
# Installs the Debian packages of debian-packages.txt that are missing (apt-get; via sudo
# when not root). Does nothing, quickly, when all are present.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mapfile -t wanted < <(grep -v '^\s*#' "$here/debian-packages.txt" | grep -v '^\s*$')
missing=()
for p in "${wanted[@]}"; do
  # A string match, not `dpkg-query | grep -q` (SIGPIPE under pipefail); a package installed
  # for two architectures prints its status twice.
  case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" in
    *'install ok installed'*) ;;
    *) missing+=("$p") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${#missing[@]} Debian package(s): ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
