/** Types of read-tracking.js (plain CommonJS). */

/** A schema error as ajv and kubernetes-models' precompiled validators report it. */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

/** One finding; `pointer` is a JSON pointer into the object. */
export interface Problem {
  pointer: string;
  message: string;
}

/** Runs a model's `prototype.validate` on `data`: its schema errors, and the fields it never read. */
export function validateTracked(validate: () => void, data: unknown): { errors: SchemaError[]; unknownFields: Problem[] };

/** A key as one JSON-pointer segment. */
export function escapePointer(name: string): string;
