/**
 * The vocabulary the rules are written in: what a namespace name, a host name, a label value, a
 * CIDR or an image reference is. Each is written once, as a pattern (which the JSON Schemas of
 * the spec and of the Helm values reuse) and a check that says what is wrong and what to do.
 */
import { z } from 'zod';

/** A DNS-1123 label (a namespace or a host label): lower-case letters, digits and `-`. */
export const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label that starts with a letter, as tenant names (and so namespace names) must. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (most object names): labels joined by `.`. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A host name without wildcard, in either case: at most 253 characters, at least two labels of
 * at most 63 letters, digits and `-`, and a last label that is not all digits (an IP address or
 * a numeric TLD is no host name a certificate is issued for).
 */
export const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\.)+(?![0-9]+$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;
/** A name on the platform wildcard certificate: `*.zone` or a plain host. */
export const WILDCARD_NAME = new RegExp(`^(\\*\\.)?${HOST_NAME.source.slice(1)}`);

/** A Kubernetes label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit. */
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/**
 * A label or annotation key: a name of at most 63 letters, digits, `-`, `_` or `.` (starting and
 * ending with a letter or digit), optionally behind a DNS subdomain prefix and `/`.
 */
export const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Checks a label or annotation key (also a node selector key, a taint key, a load balancer class). */
export function checkQualifiedName(key: string): string | undefined {
  const prefix = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
  return QUALIFIED_NAME.test(key) && prefix.length <= 253
    ? undefined
    : `\`${key}\` is not a Kubernetes key: an optional DNS prefix and \`/\`, then at most 63 letters, digits, \`-\`, \`_\` or \`.\`, e.g. \`example.com/role\``;
}

/** A container image reference, e.g. `traefik:v3.7.11` or one pinned by digest. */
export const IMAGE_REFERENCE = /^[^\s@]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Checks a DNS name without wildcards (already lowercased). */
export function checkHostName(domain: string): string | undefined {
  if (HOST_NAME.test(domain)) return undefined;
  if (/[^\x00-\x7f]/.test(domain)) return `\`${domain}\` has non-ASCII characters — write the punycode form (\`xn--…\`)`;
  if (domain.endsWith('.')) return `\`${domain}\` ends with a dot — write it without the trailing dot`;
  if (domain.length > 253) return `\`${domain}\` is ${domain.length} characters; a DNS name has at most 253 — use a shorter host`;
  if (/\.[0-9]+$/.test(domain)) {
    return `\`${domain}\` is an IP address or ends in a numeric label, not a DNS name — certificates here are issued for host names, e.g. \`app.example.com\``;
  }
  return `\`${domain}\` is not a valid DNS name — use labels of letters, digits and \`-\` separated by dots, e.g. \`app.example.com\``;
}

/** Checks a name of the platform wildcard certificate: `*.zone` or a plain host. */
export function checkWildcardDnsName(name: string): string | undefined {
  if (name.startsWith('*.')) {
    const zone = name.slice(2);
    return zone.includes('*') ? `\`${name}\` has more than one wildcard — use a single leading \`*.\`` : checkHostName(zone);
  }
  if (name.includes('*')) return `\`${name}\` has a wildcard that is not the first label — write it as \`*.zone\``;
  return checkHostName(name);
}

/** True when `domain` equals `zone` or lies under it. */
export function isWithin(domain: string, zone: string): boolean {
  return domain === zone || domain.endsWith(`.${zone}`);
}

export function checkLabelValue(value: string): string | undefined {
  return LABEL_VALUE.test(value)
    ? undefined
    : 'must be a Kubernetes label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit — shorten or rename it';
}

/** An IPv4 and an IPv6 CIDR block, as patterns (JSON Schemas of the Helm values reuse them). */
export const CIDR_PATTERNS: readonly RegExp[] = [z.regexes.cidrv4, z.regexes.cidrv6];

/** Whether `text` is an IPv4 or IPv6 CIDR block. */
export function isCidr(text: string): boolean {
  return z.cidrv4().safeParse(text).success || z.cidrv6().safeParse(text).success;
}

export function checkCidr(text: string): string | undefined {
  return isCidr(text) ? undefined : `\`${text}\` is not a CIDR — write e.g. \`10.0.0.0/8\` or \`0.0.0.0/0\``;
}

/** Checks an object name (a DNS-1123 subdomain), such as a Secret's. */
export function checkObjectName(name: string, example: string): string | undefined {
  return DNS_SUBDOMAIN.test(name) && name.length <= 253
    ? undefined
    : `must be a DNS-1123 subdomain (lower-case letters, digits, \`-\` and \`.\`), e.g. \`${example}\``;
}

/**
 * Parses an absolute URL written plainly: a lower-case scheme and no white space (the URL parser
 * would quietly drop or encode those, and the text is rendered as written); undefined otherwise.
 */
export function parseUrl(text: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A suggestion for a name that is not a DNS-1123 label: lower-cased, odd characters replaced by `-`. */
export function suggestLabel(name: string, maxLength: number): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return (s || 'team-a').slice(0, maxLength);
}
