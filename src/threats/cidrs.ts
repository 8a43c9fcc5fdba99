/** CIDR blocks: parsing (with ipaddr.js), containment, and the ranges no tenant egress may reach. */
import * as ipaddr from 'ipaddr.js';

/** A parsed CIDR block. */
export interface Cidr {
  readonly text: string;
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  readonly bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  try {
    const [address, bits] = ipaddr.parseCIDR(text);
    return { text, address, bits };
  } catch {
    return undefined;
  }
}

/**
 * The IPv4 block an IPv4-mapped IPv6 block (`::ffff:a9fe:a9fe/128`) stands for, as a dual-stack
 * socket reaches it; any other block as it is.
 */
export function unmapped(cidr: Cidr): Cidr {
  if (cidr.address.kind() !== 'ipv6' || cidr.bits < 96) return cidr;
  const v6 = cidr.address as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? { text: cidr.text, address: v6.toIPv4Address(), bits: cidr.bits - 96 } : cidr;
}

/** Whether `outer` holds every address of `inner` (both of one family). */
export function contains(outer: Cidr, inner: Cidr): boolean {
  if (inner.bits < outer.bits) return false;
  if (outer.address.kind() === 'ipv4' && inner.address.kind() === 'ipv4') return (inner.address as ipaddr.IPv4).match(outer.address as ipaddr.IPv4, outer.bits);
  if (outer.address.kind() === 'ipv6' && inner.address.kind() === 'ipv6') return (inner.address as ipaddr.IPv6).match(outer.address as ipaddr.IPv6, outer.bits);
  return false;
}

/**
 * Where clouds serve instance metadata and credentials, and the link-local ranges around them:
 * 169.254.0.0/16 (AWS, GCP, Azure, Oracle, DigitalOcean metadata at 169.254.169.254, ECS task
 * credentials at 169.254.170.2), Alibaba Cloud's 100.100.100.200, Azure's WireServer
 * 168.63.129.16, IPv6 link-local fe80::/10, AWS's IPv6 range of its instance services fd00:ec2::/64
 * (metadata at fd00:ec2::254, EKS Pod Identity credentials at fd00:ec2::23), and the IPv6 metadata
 * addresses of Google Cloud (fd20:ce::254), Oracle Cloud (fd00:c1::a9fe:a9fe) and Scaleway
 * (fd00:42::42). IPv4-mapped IPv6
 * blocks, which would name these again in another form, are refused as egress (`checkEgressToMetadata`).
 */
export const METADATA_RANGES: readonly Cidr[] = [
  '169.254.0.0/16', '100.100.100.200/32', '168.63.129.16/32', 'fe80::/10', 'fd00:ec2::/64', 'fd20:ce::254/128', 'fd00:c1::a9fe:a9fe/128', 'fd00:42::42/128',
]
  .map((text) => parseCidr(text)!);

/** The ranges among `ranges` that `block` covers, as `except` entries of an egress ipBlock. */
export function excepted(block: Cidr, ranges: readonly Cidr[]): string[] {
  return ranges.filter((r) => contains(block, r) && r.bits > block.bits).map((r) => r.text);
}
