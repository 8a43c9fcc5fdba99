/**
 * Pieces of CEL that several catalogue entries write their admission rules with. The
 * expressions run in the CEL environment of Kubernetes (1.30+), of Kyverno and of Gatekeeper's
 * K8sNativeValidation engine: macros `has`, `all`, `exists`, `filter`; `in`, `size`, `contains`,
 * `startsWith`, `matches`; and from the strings extension `split` and `lowerAscii`.
 */
import { COPY_OFFER_ANNOTATION_PREFIXES } from './detect/secret-sync';

/** `true` when the list or map at `field` is absent or empty. */
export const noneIn = (field: string) => `(!has(${field}) || size(${field}) == 0)`;

/**
 * A message, and the same message with the tenant's domains appended (Kubernetes falls back to
 * the first). `variables.domainList` is bound by the policies that read the tenant's domains.
 */
export const withDomains = (message: string) => ({
  message,
  messageExpression: `'${message.replace(/'/g, "\\'")} This tenant\\'s domains: ' + (variables.domainList == '' ? 'none' : variables.domainList)`,
});

/**
 * A Traefik rule (lower-cased) whose every match needs one of the listed hosts: `host(`a`)` or
 * `(host(`a`) || host(`b`))`, then only `&&` conditions. Anything else — HostRegexp, `||`
 * beside the hosts, double-quoted strings, no Host at all — is refused, since it can answer
 * for hosts that are not the tenant's. `matcher` is `host` or `hostsni`.
 */
export function hostGuardPattern(matcher: 'host' | 'hostsni'): string {
  const one = `${matcher}\\(\`[^\`]+\`\\)`;
  return `^\\s*(${one}|\\(\\s*${one}(\\s*\\|\\|\\s*${one})*\\s*\\))(\\s*&&[^|]*)?$`;
}

/**
 * Every `matcher(`x`)` of a (lower-cased) Traefik rule names one of the tenant's domains. Only
 * judged when the rule has the guarded shape (another validation refuses any other shape):
 * then the text before the first matcher holds no backtick, and each later piece starts with a host.
 */
export const hostsWithinDomains = (rule: string, matcher: 'host' | 'hostsni') =>
  `!${rule}.matches(r'${hostGuardPattern(matcher)}') || ${rule}.split('${matcher}(\`').filter(s, s.contains('\`')).all(s, s.split('\`')[0] in variables.domains)`;

/** True when the annotation map at `field` has no key by which reflector, replicator or kubed would copy the object elsewhere. */
export const noCopyOffers = (field: string) =>
  `(!has(${field}) || ${field}.all(k, ${COPY_OFFER_ANNOTATION_PREFIXES.map((p) => `!k.startsWith('${p}')`).join(' && ')}))`;

/** `predicate` (of `d`) holds for every entry of an ExternalSecret's `spec.data` and `spec.dataFrom`. */
export const everySource = (predicate: string) =>
  `(!has(object.spec.data) || object.spec.data.all(d, ${predicate})) && (!has(object.spec.dataFrom) || object.spec.dataFrom.all(d, ${predicate}))`;

/** The copy-offering annotation prefixes, for messages: `reflector.v1.k8s.emberstack.com/reflection-*, …`. */
export const COPY_OFFERS = COPY_OFFER_ANNOTATION_PREFIXES.map((p) => `${p}*`).join(', ');
