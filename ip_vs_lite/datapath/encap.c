// SPDX-License-Identifier: GPL-2.0
/*
 * What a tunnelling real server's packets carry between the outer IP
 * header and the client's packet: nothing (IP-in-IP), a UDP and a GUE
 * header (Generic UDP Encapsulation, which a real server decapsulates
 * with a fou port), or a GRE header. The transmitters in xmit_ipv4.c and
 * xmit_ipv6.c add the outer header and, for GUE, the UDP checksum over it.
 */

#include <linux/udp.h>
#include <net/gre.h>
#include <net/gue.h>
#include <net/ip_tunnels.h>
#include <net/udp.h>

#include "datapath/encap.h"

static const char *tun_invalid(const struct ipvl_tun *tun)
{
	if (tun->type == IPVL_TUN_GUE && !tun->port)
		return "A GUE tunnel needs the real server's port (--tun-port)";
	if ((tun->flags & IPVL_TUN_F_REMCSUM) && tun->type != IPVL_TUN_GUE)
		return "Remote checksum offload is for GUE tunnels only";
	if ((tun->flags & IPVL_TUN_F_ALL) == IPVL_TUN_F_ALL)
		return "Tunnel checksum and remote checksum offload exclude each other";
	return NULL;
}

/*
 * Whether a real server's tunnel settings make sense, for both netlink
 * families; @bad is the attribute a rejection points at.
 */
int ipvl_tun_check(const struct ipvl_tun *tun, struct netlink_ext_ack *extack,
		   const struct nlattr *bad)
{
	const char *why = tun_invalid(tun);

	if (!why)
		return 0;
	/* NL_SET_ERR_MSG takes literals only; these are static strings. */
	if (extack)
		extack->_msg = why;
	NL_SET_BAD_ATTR(extack, bad);
	return -EINVAL;
}

/*
 * Remote checksum offload leaves the inner transport checksum to the real
 * server, which is only possible while it is still to be computed.
 */
static bool remcsum(const struct ipvl_tun *tun, const struct sk_buff *skb)
{
	return tun->type == IPVL_TUN_GUE && (tun->flags & IPVL_TUN_F_REMCSUM) &&
	       skb->ip_summed == CHECKSUM_PARTIAL &&
	       skb_checksum_start_offset(skb) >= 0;
}

static __be16 gre_flags(const struct ipvl_tun *tun)
{
	return tun->flags & IPVL_TUN_F_CSUM ? TUNNEL_CSUM : 0;
}

static unsigned int gue_hlen(const struct ipvl_tun *tun,
			     const struct sk_buff *skb)
{
	unsigned int len = sizeof(struct udphdr) + sizeof(struct guehdr);

	return remcsum(tun, skb) ? len + GUE_LEN_PRIV + GUE_PLEN_REMCSUM : len;
}

/* The bytes the tunnel adds after the outer IP header. */
unsigned int ipvl_encap_hlen(const struct ipvl_tun *tun,
			     const struct sk_buff *skb)
{
	switch (tun->type) {
	case IPVL_TUN_GUE:
		return gue_hlen(tun, skb);
	case IPVL_TUN_GRE:
		return gre_calc_hlen(gre_flags(tun));
	default:
		return 0;
	}
}

static int gso_type(const struct ipvl_tun *tun, const struct sk_buff *skb,
		    int ipxip)
{
	switch (tun->type) {
	case IPVL_TUN_GUE:
		ipxip |= ipvl_encap_udp_csum(tun) ? SKB_GSO_UDP_TUNNEL_CSUM :
						    SKB_GSO_UDP_TUNNEL;
		return remcsum(tun, skb) ? ipxip | SKB_GSO_TUNNEL_REMCSUM : ipxip;
	case IPVL_TUN_GRE:
		return tun->flags & IPVL_TUN_F_CSUM ? SKB_GSO_GRE_CSUM :
						      SKB_GSO_GRE;
	default:
		return ipxip;
	}
}

/*
 * Before any header is pushed: the segmentation the tunnel needs, and the
 * inner headers it segments by, which start at the client's IP header
 * (the frame's own MAC header is left behind).
 */
int ipvl_encap_offloads(struct sk_buff *skb, const struct ipvl_tun *tun,
			int ipxip)
{
	int ret;

	ret = iptunnel_handle_offloads(skb, gso_type(tun, skb, ipxip));
	if (ret)
		return ret;
	skb_set_inner_mac_header(skb, skb_inner_network_offset(skb));
	return 0;
}

static void put_remcsum(struct sk_buff *skb, struct guehdr *gh, u16 start)
{
	__be32 *pflags = (__be32 *)(gh + 1);
	__be16 *pd = (__be16 *)(pflags + 1);

	gh->flags |= GUE_FLAG_PRIV;
	*pflags = GUE_PFLAG_REMCSUM;
	pd[0] = htons(start);
	pd[1] = htons(start + skb->csum_offset);
	if (!skb_is_gso(skb)) {
		skb->ip_summed = CHECKSUM_NONE;
		skb->encapsulation = 0;
	}
}

static void push_gue(struct net *net, struct sk_buff *skb,
		     const struct ipvl_tun *tun, u8 inner)
{
	unsigned int hlen = gue_hlen(tun, skb) - sizeof(struct udphdr);
	__be16 sport = udp_flow_src_port(net, skb, 0, 0, false);
	u16 start = skb_checksum_start_offset(skb);
	bool rem = remcsum(tun, skb);
	struct guehdr *gh;
	struct udphdr *uh;

	gh = skb_push(skb, hlen);
	memset(gh, 0, hlen);
	gh->hlen = (hlen - sizeof(*gh)) >> 2;
	gh->proto_ctype = inner;
	if (rem)
		put_remcsum(skb, gh, start);
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = tun->port;
	uh->len = htons(skb->len);
	uh->check = 0;
}

/*
 * Pushes the tunnel's header in front of the client's IP packet (@inner:
 * IPPROTO_IPIP or IPPROTO_IPV6) and returns the outer header's protocol.
 */
u8 ipvl_encap_push(struct net *net, struct sk_buff *skb,
		   const struct ipvl_tun *tun, u8 inner)
{
	skb->transport_header = skb->network_header;
	switch (tun->type) {
	case IPVL_TUN_GUE:
		push_gue(net, skb, tun, inner);
		return IPPROTO_UDP;
	case IPVL_TUN_GRE:
		gre_build_header(skb, gre_calc_hlen(gre_flags(tun)),
				 gre_flags(tun),
				 inner == IPPROTO_IPV6 ? htons(ETH_P_IPV6) :
							 htons(ETH_P_IP),
				 0, 0);
		return IPPROTO_GRE;
	default:
		return inner;
	}
}
