// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS ABI: /proc/net/ip_vs, /proc/net/ip_vs_stats and /proc/net/ip_vs_conn
 * of each netns, in IPVS's text formats, for what reads them rather than
 * asking over netlink: ipvsadm -lc, prometheus-node-exporter's ipvs
 * collector, monitoring scripts.
 */

#include <linux/inetdevice.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "datapath/conn.h"
#include "datapath/conn_state.h"
#include "ipvs_abi/ipvs_abi.h"
#include "ipvs_abi/procfs.h"
#include "model/estimator.h"
#include "model/stats.h"

/* What IPVS names the protocols ip_vs_lite has; templates of marks: IP. */
static const char *proto_name(u8 protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	default:
		return "IP";
	}
}

static const char *fwd_name(u8 fwd)
{
	switch (fwd) {
	case IPVL_FWD_NAT:
		return "Masq";
	case IPVL_FWD_TUN:
		return "Tunnel";
	default:
		return "Route";
	}
}

/* ------------------------------------------------------------ ip_vs */

/*
 * Where the service walk is: IPVS lists its services by address first,
 * then its firewall-mark ones, each table bucket by bucket; so does this
 * walk, in two passes over the one table.
 */
struct svc_iter {
	struct seq_net_private p;	/* first: seq_file_net() reads it */
	unsigned int pass;		/* 0: by address, 1: by mark */
	unsigned int bucket;
};

static bool svc_in_pass(const struct ipvl_service *svc, unsigned int pass)
{
	return !svc->fwmark == !pass;
}

/* The first service of the walk from its bucket on. */
static struct ipvl_service *svc_scan(struct ipvl_net *ipvl,
				     struct svc_iter *it)
{
	struct ipvl_service *svc;

	lockdep_assert_held(&ipvl->lock);
	for (; it->pass < 2; it->pass++, it->bucket = 0) {
		for (; it->bucket < HASH_SIZE(ipvl->svc_tab); it->bucket++) {
			hlist_for_each_entry(svc, &ipvl->svc_tab[it->bucket],
					     node) {
				if (svc_in_pass(svc, it->pass))
					return svc;
			}
		}
	}
	return NULL;
}

static struct ipvl_service *svc_after(struct ipvl_net *ipvl,
				      struct svc_iter *it,
				      struct ipvl_service *svc)
{
	hlist_for_each_entry_continue(svc, node) {
		if (svc_in_pass(svc, it->pass))
			return svc;
	}
	it->bucket++;
	return svc_scan(ipvl, it);
}

static struct ipvl_service *svc_first(struct ipvl_net *ipvl,
				      struct svc_iter *it)
{
	it->pass = 0;
	it->bucket = 0;
	return svc_scan(ipvl, it);
}

/*
 * The config lock is held from start to stop, that is within one read():
 * seq_file copies to user space only after stop.
 */
static void *info_start(struct seq_file *seq, loff_t *pos)
{
	struct ipvl_net *ipvl = ipvl_net(seq_file_net(seq));
	struct ipvl_service *svc;
	loff_t n = *pos;

	mutex_lock(&ipvl->lock);
	if (!n)
		return SEQ_START_TOKEN;
	svc = svc_first(ipvl, seq->private);
	while (svc && --n)
		svc = svc_after(ipvl, seq->private, svc);
	return svc;
}

static void *info_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct ipvl_net *ipvl = ipvl_net(seq_file_net(seq));

	++*pos;
	if (v == SEQ_START_TOKEN)
		return svc_first(ipvl, seq->private);
	return svc_after(ipvl, seq->private, v);
}

static void info_stop(struct seq_file *seq, void *v)
{
	mutex_unlock(&ipvl_net(seq_file_net(seq))->lock);
}

/*
 * IPv4 services keep a mask, IPv6 ones a prefix length; IPVS prints
 * either as the big-endian word it keeps, so that a length comes out
 * byte-swapped on a little-endian host (128: 80000000).
 */
static u32 netmask_word(const struct ipvl_service *svc)
{
	if (svc->af == AF_INET6)
		return be32_to_cpu((__force __be32)(u32)svc->netmask);
	return ntohl(inet_make_mask(svc->netmask));
}

/* IPVS's persistence timeout is in jiffies, and so is this one. */
static void show_svc(struct seq_file *seq, const struct ipvl_service *svc)
{
	const struct ipvl_sched_ops *sched;
	u32 flags = READ_ONCE(svc->flags);
	const char *ops = flags & IPVL_SVC_F_ONEPACKET ? "ops " : "";
	const char *name;

	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(svc->lock));
	name = sched ? sched->name : "none";
	if (svc->fwmark)
		seq_printf(seq, "FWM  %08X %s %s", svc->fwmark, name, ops);
	else if (svc->af == AF_INET6)
		/* IPVS shows no "ops" on IPv6 services. */
		seq_printf(seq, "%s  [%pI6]:%04X %s ",
			   proto_name(svc->protocol), &svc->addr.in6,
			   ntohs(svc->port), name);
	else
		seq_printf(seq, "%s  %08X:%04X %s %s ",
			   proto_name(svc->protocol), ntohl(svc->addr.ip),
			   ntohs(svc->port), name, ops);
	if (flags & IPVL_SVC_F_PERSISTENT)
		seq_printf(seq, "persistent %lu %08X\n", svc->timeout,
			   netmask_word(svc));
	else
		seq_putc(seq, '\n');
}

static void show_dest(struct seq_file *seq, const struct ipvl_dest *dest)
{
	const char *fwd = fwd_name(READ_ONCE(dest->fwd));
	int weight = READ_ONCE(dest->weight);
	int active = atomic_read(&dest->activeconns);
	int inact = atomic_read(&dest->inactconns);

	if (dest->af == AF_INET6)
		seq_printf(seq, "  -> [%pI6]:%04X      %-7s %-6d %-10d %-10d\n",
			   &dest->addr.in6, ntohs(dest->port), fwd, weight,
			   active, inact);
	else
		seq_printf(seq, "  -> %08X:%04X      %-7s %-6d %-10d %-10d\n",
			   ntohl(dest->addr.ip), ntohs(dest->port), fwd,
			   weight, active, inact);
}

/* The version is IPVS's, as IPVS_CMD_GET_INFO reports it. */
static int info_show(struct seq_file *seq, void *v)
{
	struct ipvl_service *svc = v;
	struct ipvl_dest *dest;

	if (v == SEQ_START_TOKEN) {
		seq_printf(seq, "IP Virtual Server version %d.%d.%d (size=%u)\n",
			   NVERSION(IP_VS_VERSION_CODE),
			   ipvl_conn_table_size());
		seq_puts(seq, "Prot LocalAddress:Port Scheduler Flags\n");
		seq_puts(seq,
			 "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
		return 0;
	}
	show_svc(seq, svc);
	ipvl_for_each_dest(dest, svc, svc->lock)
		show_dest(seq, dest);
	return 0;
}

static const struct seq_operations info_seq_ops = {
	.start = info_start,
	.next = info_next,
	.stop = info_stop,
	.show = info_show,
};

/* ------------------------------------------------------ ip_vs_stats */

/*
 * ip_vs_lite counts per service and per real server, not per netns: the
 * totals are those of the services there are now. See
 * Documentation/ipvs-abi.rst for how that differs from IPVS's.
 */
static void stats_total(struct ipvl_net *ipvl, struct ipvl_stats_sum *t,
			struct ipvl_rates *r)
{
	struct ipvl_service *svc;
	struct ipvl_stats_sum s;
	struct ipvl_rates sr;
	unsigned int bkt;

	mutex_lock(&ipvl->lock);
	hash_for_each(ipvl->svc_tab, bkt, svc, node) {
		ipvl_stats_read(svc->stats, &s);
		ipvl_est_read(svc->stats, &sr);
		t->conns += s.conns;
		t->inpkts += s.inpkts;
		t->outpkts += s.outpkts;
		t->inbytes += s.inbytes;
		t->outbytes += s.outbytes;
		r->cps += sr.cps;
		r->inpps += sr.inpps;
		r->outpps += sr.outpps;
		r->inbps += sr.inbps;
		r->outbps += sr.outbps;
	}
	mutex_unlock(&ipvl->lock);
}

static int stats_show(struct seq_file *seq, void *v)
{
	struct ipvl_net *ipvl = ipvl_net(seq_file_single_net(seq));
	struct ipvl_stats_sum t = {};
	struct ipvl_rates r = {};

	stats_total(ipvl, &t, &r);
	seq_puts(seq,
		 "   Total Incoming Outgoing         Incoming         Outgoing\n");
	seq_puts(seq,
		 "   Conns  Packets  Packets            Bytes            Bytes\n");
	seq_printf(seq, "%8llX %8llX %8llX %16llX %16llX\n\n", t.conns,
		   t.inpkts, t.outpkts, t.inbytes, t.outbytes);
	seq_puts(seq,
		 " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n");
	seq_printf(seq, "%8llX %8llX %8llX %16llX %16llX\n", r.cps, r.inpps,
		   r.outpps, r.inbps, r.outbps);
	return 0;
}

/* ------------------------------------------------------- ip_vs_conn */

/* One record per bucket of the connection table, after the header. */
struct conn_iter {
	struct seq_net_private p;	/* first: seq_file_net() reads it */
	unsigned int bucket;
};

static void *conn_at(struct seq_file *seq, loff_t pos)
{
	struct conn_iter *it = seq->private;

	if (!pos)
		return SEQ_START_TOKEN;
	if (pos - 1 >= ipvl_conn_buckets(ipvl_net(seq_file_net(seq))))
		return NULL;
	it->bucket = pos - 1;
	return it;
}

static void *conn_start(struct seq_file *seq, loff_t *pos)
{
	return conn_at(seq, *pos);
}

static void *conn_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return conn_at(seq, ++*pos);
}

static void conn_stop(struct seq_file *seq, void *v)
{
}

/*
 * A template is keyed under protocol 0 with its service's protocol in
 * the client port, and a firewall-mark service's with the mark for its
 * virtual address; IPVS lists the first under the service's protocol
 * with client port 0, the second under "IP" with the mark, big-endian,
 * as its virtual address.
 */
static void conn_view(const struct ipvl_conn *cp, u8 *protocol,
		      __be16 *cport, union nf_inet_addr *vaddr)
{
	u32 mark = ipvl_conn_fwmark(cp);

	*protocol = cp->key.protocol;
	*cport = cp->key.cport;
	*vaddr = cp->key.vaddr;
	if (READ_ONCE(cp->state) != IPVL_S_TEMPLATE)
		return;
	*cport = 0;
	*protocol = mark ? IPPROTO_IP : ntohs(cp->key.cport);
	if (mark) {
		memset(vaddr, 0, sizeof(*vaddr));
		vaddr->ip = htonl(mark);
	}
}

static int show_conn(const struct ipvl_conn *cp, void *arg)
{
	const char *state = ipvl_state_name(READ_ONCE(cp->state));
	u32 left = ipvl_conn_expires_ms(cp) / 1000;
	struct seq_file *seq = arg;
	union nf_inet_addr vaddr;
	__be16 cport;
	u8 protocol;

	conn_view(cp, &protocol, &cport, &vaddr);
	if (cp->key.af == AF_INET6)
		seq_printf(seq, "%-3s %pI6 %04X %pI6 %04X %pI6 %04X %-11s %7u\n",
			   proto_name(protocol), &cp->key.caddr.in6,
			   ntohs(cport), &vaddr.in6, ntohs(cp->key.vport),
			   &cp->daddr.in6, ntohs(cp->dport), state, left);
	else
		seq_printf(seq, "%-3s %08X %04X %08X %04X %08X %04X %-11s %7u\n",
			   proto_name(protocol), ntohl(cp->key.caddr.ip),
			   ntohs(cport), ntohl(vaddr.ip),
			   ntohs(cp->key.vport), ntohl(cp->daddr.ip),
			   ntohs(cp->dport), state, left);
	return 0;
}

/* ip_vs_lite has no persistence engines: PEName and PEData stay empty. */
static int conn_show(struct seq_file *seq, void *v)
{
	struct conn_iter *it = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq,
			 "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
		return 0;
	}
	ipvl_conn_walk_bucket(ipvl_net(seq_file_net(seq)), it->bucket,
			      show_conn, seq);
	return 0;
}

static const struct seq_operations conn_seq_ops = {
	.start = conn_start,
	.next = conn_next,
	.stop = conn_stop,
	.show = conn_show,
};

/* ------------------------------------------------------ registration */

/* Readable by all, as IPVS has them: monitoring runs unprivileged. */
static int __net_init procfs_net_init(struct net *net)
{
	if (!proc_create_net("ip_vs", 0, net->proc_net, &info_seq_ops,
			     sizeof(struct svc_iter)))
		goto err_info;
	if (!proc_create_net_single("ip_vs_stats", 0, net->proc_net,
				    stats_show, NULL))
		goto err_stats;
	if (!proc_create_net("ip_vs_conn", 0, net->proc_net, &conn_seq_ops,
			     sizeof(struct conn_iter)))
		goto err_conn;
	return 0;

err_conn:
	remove_proc_entry("ip_vs_stats", net->proc_net);
err_stats:
	remove_proc_entry("ip_vs", net->proc_net);
err_info:
	return -ENOMEM;
}

static void __net_exit procfs_net_exit(struct net *net)
{
	remove_proc_entry("ip_vs_conn", net->proc_net);
	remove_proc_entry("ip_vs_stats", net->proc_net);
	remove_proc_entry("ip_vs", net->proc_net);
}

/*
 * After the core's own pernet operations, so that every netns has its
 * ipvl_net by then, and exited before it.
 */
static struct pernet_operations procfs_net_ops = {
	.init = procfs_net_init,
	.exit = procfs_net_exit,
};

int ipvl_ipvs_procfs_init(void)
{
	return register_pernet_subsys(&procfs_net_ops);
}

void ipvl_ipvs_procfs_uninit(void)
{
	unregister_pernet_subsys(&procfs_net_ops);
}
