# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Debian packages, for the scripts that install what they need (vm/deps.sh,
# vm/debug-kernel.sh, tools/lint.sh). Sourced; the caller defines log().

# discover_kver: the kernel version Debian's linux-headers-amd64 points at.
discover_kver()
{
	dpkg-query -W -f='${Depends}\n' linux-headers-amd64 |
		tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' |
		head -n1
}

# pkg_version PKG: the installed version of PKG; nothing if not installed.
pkg_version()
{
	dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

apt_updated=0

# apt_update_once: the package lists, fetched at most once per run.
apt_update_once()
{
	[ "$apt_updated" = 1 ] && return 0
	log "apt-get update"
	apt-get update -qq >&2
	apt_updated=1
}

# install_pkgs PKG...: those not installed yet, without recommends.
install_pkgs()
{
	local p need=

	for p in "$@"; do
		[ -n "$(pkg_version "$p")" ] || need+=" $p"
	done
	[ -z "$need" ] && return 0
	apt_update_once
	log "installing$need"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $need >&2
}
