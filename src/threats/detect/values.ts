/**
 * Reading untrusted objects without trusting their shape: manifests given to the audit may
 * hold `null`, a string where a list belongs, or numbers for names. These answer with a
 * harmless empty value instead of throwing.
 */

/** Where a field sits inside an object: keys and list indexes from the top. */
export type FieldPath = readonly (string | number)[];

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A list of strings; other items are left out. */
export function asStrings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** A map of string values (labels, annotations); other values are left out. */
export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value))) if (typeof v === 'string') out[k] = v;
  return out;
}
