/** Kubernetes resource quantities (`500m`, `2`, `4Gi`, `1e3`): recognising and comparing them. */

const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The same rule as a pattern for JSON Schema (the Helm charts' `values.schema.json`). */
export const QUANTITY_PATTERN = QUANTITY.source;

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** True for a non-negative quantity the API server accepts. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/** The quantity's value as a number (precise enough to compare requests with limits). */
export function quantityValue(value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`not a quantity: ${value}`);
  const suffix = match[3] ?? '';
  const base = Number(match[1]);
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * SUFFIX[suffix];
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareQuantities(a: string, b: string): number {
  return Math.sign(quantityValue(a) - quantityValue(b));
}
