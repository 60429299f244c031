# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Debian packages, for the scripts that install what they need (vm/deps.sh,
# vm/debug-kernel.sh, tools/lint.sh). Sourced; the caller defines log().
#
# apt's own output goes to APT_LOG (default: <repo>/build/apt.log); when a
# package cannot be had, die_pkgs prints one line saying which and how to
# get it, and the caller exits.

APT_LOG=${APT_LOG:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/apt.log}

# discover_kver: the kernel version Debian's linux-headers-amd64 points at.
discover_kver()
{
	dpkg-query -W -f='${Depends}\n' linux-headers-amd64 2>/dev/null |
		tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' |
		head -n1
}

# pkg_version PKG: the installed version of PKG; nothing if not installed.
pkg_version()
{
	dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

# apt_run CMD...: apt with its output appended to APT_LOG.
apt_run()
{
	mkdir -p "$(dirname "$APT_LOG")"
	echo "+ $*" >>"$APT_LOG"
	DEBIAN_FRONTEND=noninteractive "$@" >>"$APT_LOG" 2>&1 </dev/null
}

# pkgs_unknown PKG...: those the apt sources do not offer.
pkgs_unknown()
{
	local p

	for p in "$@"; do
		apt-cache show --no-all-versions "$p" >/dev/null 2>&1 ||
			echo "$p"
	done
}

# die_pkgs WHY PKG...: the one line a user reads when PKG... cannot be had.
die_pkgs()
{
	local why=$1 unknown hint=

	shift
	unknown=$(pkgs_unknown "$@" | tr '\n' ' ')
	case $unknown in
	*linux-image-*) hint=", or set KVER to a Debian kernel release (apt-cache search linux-headers)" ;;
	esac
	if [ "$why" = update ] || [ "$apt_unreachable" = 1 ]; then
		log "missing $*: the Debian archive cannot be reached (apt-get update failed, see $APT_LOG); connect this machine to a Debian 12 mirror or run: apt-get install $*"
	elif [ -n "$unknown" ]; then
		log "missing ${unknown% }: no such package in the apt sources (see $APT_LOG); enable Debian 12 (bookworm) main in /etc/apt/sources.list$hint"
	elif [ "$why" = download ]; then
		log "missing $*: apt-get download failed (see $APT_LOG); run: apt-get download $*"
	else
		log "missing $*: apt-get install failed (see $APT_LOG); run: apt-get install $*"
	fi
	exit 1
}

apt_updated=0
apt_unreachable=0

# apt_update_once PKG...: the package lists, fetched at most once per run;
# PKG... are what the caller is after, named if the archive is out of reach.
# apt-get update succeeds when a source cannot be fetched, and only says so.
apt_update_once()
{
	local mark

	[ "$apt_updated" = 1 ] && return 0
	log "apt-get update"
	mark=0
	[ -f "$APT_LOG" ] && mark=$(wc -l <"$APT_LOG")
	apt_run apt-get update -q || die_pkgs update "$@"
	tail -n +"$((mark + 1))" "$APT_LOG" | grep -q '^[WE]: Failed to fetch' &&
		apt_unreachable=1
	apt_updated=1
}

# install_pkgs PKG...: those not installed yet, without recommends.
install_pkgs()
{
	local p need=()

	for p in "$@"; do
		[ -n "$(pkg_version "$p")" ] || need+=("$p")
	done
	[ ${#need[@]} = 0 ] && return 0
	apt_update_once "${need[@]}"
	log "installing ${need[*]}"
	apt_run apt-get install -y -q --no-install-recommends "${need[@]}" ||
		die_pkgs install "${need[@]}"
}

# download_pkg DIR PKG: PKG's .deb into DIR, without installing it.
download_pkg()
{
	local dir=$1 pkg=$2

	# apt-get download drops root privileges to the _apt user.
	chmod 755 "$dir"
	(cd "$dir" && apt_run apt-get download -q "$pkg") && return 0
	apt_update_once "$pkg"
	(cd "$dir" && apt_run apt-get download -q "$pkg")
}
