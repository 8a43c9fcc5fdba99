/** Kubernetes resource quantities (`500m`, `2`, `4Gi`, `1e3`): recognising and comparing them. */

const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The same rule as a pattern for JSON Schema (the Helm charts' `values.schema.json`). */
export const QUANTITY_PATTERN = QUANTITY.source;

/** Powers of ten of the decimal suffixes, and powers of two of the binary ones. */
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** True for a non-negative quantity the API server accepts. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/** Parsed quantities: a spec of 20,000 tenants compares the same few values again and again. */
const NANOS = new Map<string, bigint>();

/**
 * The quantity in nano-units, exactly (as the API server compares them): `700m` and `0.7` are
 * equal, which floating point would get wrong. Digits below a nano-unit are dropped.
 */
export function quantityNanos(value: string): bigint {
  let nanos = NANOS.get(value);
  if (nanos === undefined) NANOS.set(value, (nanos = parseNanos(value)));
  return nanos;
}

function parseNanos(value: string): bigint {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`not a quantity: ${value}`);
  const [whole, fraction = ''] = match[1].split('.');
  let scaled = BigInt(`${whole || '0'}${fraction.padEnd(9, '0').slice(0, 9)}`); // mantissa × 10^9
  const suffix = match[3] ?? '';
  if (suffix in BINARY_EXPONENT) return scaled * 2n ** BigInt(BINARY_EXPONENT[suffix]);
  const exponent = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL_EXPONENT[suffix];
  if (exponent >= 0) scaled *= 10n ** BigInt(exponent);
  else scaled /= 10n ** BigInt(-exponent);
  return scaled;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareQuantities(a: string, b: string): number {
  const x = quantityNanos(a);
  const y = quantityNanos(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
