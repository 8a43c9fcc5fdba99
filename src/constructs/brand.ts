/**
 * Tells the library's constructs apart at run time without importing their classes (which would
 * make the modules import each other in a circle), and across copies of the library loaded
 * twice. Each class marks its instances; `isA` checks the mark.
 */
const mark = (name: string) => Symbol.for(`cdk8s-tenancy.${name}`);

/** Marks `instance` as a `name`. */
export function brand(instance: object, name: string): void {
  Object.defineProperty(instance, mark(name), { value: true });
}

/** Whether `x` was marked as a `name`. */
export function isA(x: unknown, name: string): boolean {
  return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[mark(name)] === true;
}
