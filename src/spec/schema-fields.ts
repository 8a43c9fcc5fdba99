/**
 * Field schemas the spec's other modules share (the tenant's `vcluster:` block among them), apart
 * from `schema.ts` so that those modules and `schema.ts` need not import each other.
 */
import { z } from 'zod';
import { checkObjectName, DNS_SUBDOMAIN } from '../threats/formats';
import { isQuantity } from '../threats/quantity';
import { Threat } from '../threats/threat';

/**
 * The refinement that adds `check`'s refusal, if it has one, as an issue at the value's path,
 * naming `threat` (when the check is one of the catalogue's rules rather than a format).
 */
export function refusedBy<T>(check: (value: T) => string | undefined, threat?: Threat) {
  return (value: T, ctx: z.RefinementCtx) => {
    const refusal = check(value);
    if (refusal) ctx.addIssue({ code: 'custom', message: refusal, ...(threat ? { params: { threat: threat.id } } : {}) });
  };
}

/**
 * A Kubernetes quantity such as `500m`, `2`, `4Gi`. A plain YAML number (`cpu: 4`, `cpu: 0.5`) is
 * accepted as its decimal text; one JavaScript would print differently from how it was written
 * (huge, exponent, hexadecimal) is refused, so the output never carries a value nobody wrote.
 */
export const quantity = z.preprocess(
  (v) => (typeof v === 'number' && /^\d{1,15}(\.\d{1,6})?$/.test(String(v)) ? String(v) : v),
  z.string({ error: (iss) => `\`${String(iss.input)}\` cannot be kept exactly as a number — write it as a quoted string, e.g. \`"4"\` or \`"500m"\`` }).refine(isQuantity, {
    error: (iss) => `\`${String(iss.input)}\` is not a Kubernetes quantity — write e.g. \`500m\`, \`2\`, \`512Mi\` or \`4Gi\``,
  }),
);

/** An object name (a DNS-1123 subdomain), such as a Secret's. */
export const objectName = (example: string) => z.string().superRefine(refusedBy((v: string) => checkObjectName(v, example))).meta({ pattern: DNS_SUBDOMAIN.source, maxLength: 253 });
