// SPDX-License-Identifier: GPL-2.0
#include "args.h"

void lvs_version(FILE *f)
{
	fprintf(f, "lvsadm v" LVSADM_VERSION
		" (ip_vs_lite generic netlink family " IPVL_GENL_NAME
		" v%d)\n", IPVL_GENL_VERSION);
}

void lvs_usage(FILE *f, const char *p)
{
	lvs_version(f);
	fprintf(f,
		"Usage:\n"
		"  %s -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-o] [-b sched-flags] [--sloppy]\n"
		"  %s -D virtual-service\n"
		"  %s -C\n"
		"  %s -R\n"
		"  %s -S [-n]\n"
		"  %s -a|e virtual-service -r server-address [options]\n"
		"  %s -d virtual-service -r server-address [--drain]\n"
		"  %s -L|l [virtual-service] [options]\n"
		"  %s -Z [virtual-service]\n"
		"  %s --set tcp tcpfin udp\n"
		"  %s --info [--json]\n"
		"  %s -h\n\n", p, p, p, p, p, p, p, p, p, p, p, p);
	fprintf(f,
		"Commands:\n"
		"Either long or short options are allowed.\n"
		"  --add-service     -A        add virtual service with options\n"
		"  --edit-service    -E        edit virtual service with options\n"
		"  --delete-service  -D        delete virtual service\n"
		"  --clear           -C        clear the whole table\n"
		"  --restore         -R        restore rules from stdin, all or nothing\n"
		"  --save            -S        save rules to stdout\n"
		"  --add-server      -a        add real server with options\n"
		"  --edit-server     -e        edit real server with options\n"
		"  --delete-server   -d        delete real server\n"
		"  --list            -L|-l     list the table\n"
		"  --zero            -Z        zero counters in a service or all services\n"
		"  --set tcp tcpfin udp        set connection timeout values\n"
		"  --info                      version, table size, connections, limit and drops\n"
		"  --help            -h        display this help message\n"
		"  --version         -v        display the version\n\n");
	fprintf(f,
		"virtual-service:\n"
		"  --tcp-service|-t  service-address   service-address is host[:port]\n"
		"  --udp-service|-u  service-address   service-address is host[:port]\n"
		"  --sctp-service    service-address   service-address is host[:port]\n"
		"                                      or [ipv6-address]:port\n"
		"  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n\n");
	fprintf(f,
		"Options:\n"
		"  --ipv6         -6                   fwmark entry uses IPv6\n"
		"  --scheduler    -s scheduler         scheduler module name, the default is %s\n"
		"  --persistent   -p [timeout]         persistent service (default %d seconds)\n"
		"  --netmask      -M netmask           persistent granularity mask\n"
		"  --ops          -o                   one-packet scheduling\n"
		"  --sched-flags  -b flags             scheduler flags (comma-separated):\n"
		"                                      sh-fallback, sh-port, mh-fallback, mh-port\n"
		"  --sloppy                            schedule TCP without a SYN (lvsadm only)\n"
		"  --real-server  -r server-address    server-address is host (and port)\n"
		"  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
		"  --ipip         -i                   ipip encapsulation (tunneling)\n"
		"  --masquerading -m                   masquerading (NAT)\n"
		"  --tun-type      type                one of ipip|gue|gre,\n"
		"                                      the default tunnel type is ipip.\n"
		"  --tun-port      port                tunnel destination port (gue)\n"
		"  --tun-nocsum                        tunnel encapsulation without checksum\n"
		"  --tun-csum                          tunnel encapsulation with checksum\n"
		"  --tun-remcsum                       tunnel encapsulation with remote checksum (gue)\n"
		"  --weight       -w weight            capacity of real server (0..65535)\n"
		"  --u-threshold  -x uthreshold        upper threshold of connections\n"
		"  --l-threshold  -y lthreshold        lower threshold of connections\n"
		"  --drain                             with -d: no new connections, delete once\n"
		"                                      the last one has gone (lvsadm only)\n"
		"  --connection   -c                   output of current connections\n"
		"  --timeout                           output of timeout (tcp tcpfin udp)\n"
		"  --stats                             output of statistics information\n"
		"  --rate                              output of rate information\n"
		"  --thresholds                        output of thresholds information\n"
		"  --tun-info                          output of tunnel information\n"
		"  --persistent-conn                   output of persistent connection info\n"
		"  --exact                             expand numbers (display exact values)\n"
		"  --nosort                            disable sorting output of service/server entries\n"
		"  --sort                              does nothing, for backwards compatibility\n"
		"  --numeric      -n                   numeric output of addresses and ports\n"
		"  --json                              JSON output of -L, -c, --timeout and --info\n",
		LVS_DEF_SCHED, LVS_DEF_PERSIST);
}
