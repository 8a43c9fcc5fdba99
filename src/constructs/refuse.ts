/**
 * Construct-time refusals: a library user who passes an insecure prop gets the same words
 * as a CLI user who writes it in a spec (the rule texts come from `spec/rules.ts`).
 */

/** Thrown by a construct given a prop the isolation rules refuse. */
export class RefusedPropError extends Error {
  constructor(construct: string, prop: string, reason: string) {
    super(`${construct}: ${prop}: ${reason}`);
    this.name = 'RefusedPropError';
  }
}

/** Throws `RefusedPropError` when `reason` is set. */
export function refuseIf(reason: string | undefined, construct: string, prop: string): void {
  if (reason !== undefined) throw new RefusedPropError(construct, prop, reason);
}
