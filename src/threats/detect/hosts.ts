/** Reading the hosts an object serves or holds a certificate for: routes, Ingresses, Certificates, TLS Secrets. */
import { X509Certificate } from 'crypto';
import type { KubeObjectLike } from './engine';
import { asArray, asRecord, asString, FieldPath } from './values';

/** Compiled matcher-call patterns of `hostsInRule`, by matcher name. */
const MATCHER_CALLS = new Map<string, RegExp>();

/** Hosts named in a Traefik rule: `Host(`a`, `b`) || Host(`c`)` → a, b, c; catch-all `*` left out. */
export function hostsInRule(match: string, fn = 'Host(?:Header)?'): string[] {
  let calls = MATCHER_CALLS.get(fn);
  if (!calls) MATCHER_CALLS.set(fn, (calls = new RegExp(`\\b${fn}\\s*\\(([^)]*)\\)`, 'g')));
  const hosts: string[] = [];
  // matchAll works on a copy of the global regex, so sharing one is safe.
  for (const call of match.matchAll(calls)) {
    for (const arg of call[1].matchAll(/[`"']([^`"']+)[`"']/g)) if (arg[1] !== '*') hosts.push(arg[1]);
  }
  return hosts;
}

/** One host an object names, and where. */
export interface NamedHost {
  readonly host: string;
  readonly path: FieldPath;
}

const isApi = (o: KubeObjectLike, group: string) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${group}/`);

/**
 * The hosts an object serves or holds a certificate for: a cert-manager Certificate's
 * `dnsNames` and `commonName`, an Ingress's rules and TLS hosts, an IngressRoute's `Host()` and
 * an IngressRouteTCP's `HostSNI()` matchers, a Gateway API route's `hostnames`. Lower-cased,
 * trailing dot dropped.
 */
export function namedHosts(o: KubeObjectLike): NamedHost[] {
  const spec = asRecord(o.spec);
  const out: NamedHost[] = [];
  const add = (host: unknown, path: FieldPath) => {
    if (typeof host === 'string') out.push({ host: host.toLowerCase().replace(/\.$/, ''), path });
  };
  if (o.kind === 'Certificate' && isApi(o, 'cert-manager.io')) {
    asArray(spec.dnsNames).forEach((h, k) => add(h, ['spec', 'dnsNames', k]));
    add(spec.commonName, ['spec', 'commonName']);
  } else if (o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion)) {
    asArray(spec.tls).forEach((tls, t) => asArray(asRecord(tls).hosts).forEach((h, k) => add(h, ['spec', 'tls', t, 'hosts', k])));
    asArray(spec.rules).forEach((rule, r) => add(asString(asRecord(rule).host) || undefined, ['spec', 'rules', r, 'host']));
  } else if (['HTTPRoute', 'GRPCRoute', 'TLSRoute'].includes(o.kind) && isApi(o, 'gateway.networking.k8s.io')) {
    asArray(spec.hostnames).forEach((h, k) => add(h, ['spec', 'hostnames', k]));
  } else if ((o.kind === 'IngressRoute' || o.kind === 'IngressRouteTCP') && (isApi(o, 'traefik.io') || isApi(o, 'traefik.containo.us'))) {
    const fn = o.kind === 'IngressRouteTCP' ? 'HostSNI' : 'Host(?:Header)?';
    asArray(spec.routes).forEach((route, r) => {
      for (const host of hostsInRule(asString(asRecord(route).match) ?? '', fn)) add(host, ['spec', 'routes', r, 'match']);
    });
  }
  return out;
}

/** DNS names of the certificate in a Secret's `tls.crt` (the leaf: subject alternative names, then common name). */
export function certificateNames(o: KubeObjectLike): string[] {
  const data = asString(asRecord(o.data)['tls.crt']);
  const pem = data !== undefined ? Buffer.from(data, 'base64').toString('utf8') : asString(asRecord(o.stringData)['tls.crt']);
  if (!pem || !pem.includes('BEGIN CERTIFICATE')) return [];
  try {
    const cert = new X509Certificate(pem);
    const sans = (cert.subjectAltName ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
    return [...sans, ...(cn ? [cn] : [])];
  } catch {
    return [];
  }
}
