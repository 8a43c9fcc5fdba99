/**
 * Finds unknown fields with a precompiled kubernetes-models validator.
 *
 * The validators that kubernetes-models generates read every property their
 * schema lists (`data.replicas === undefined || check(data.replicas)`) and
 * enumerate the keys of maps (`for (const key in data)`); they ignore
 * everything else. So after a run, a key of an object that the validator never
 * read is a field the schema does not know.
 *
 * Plain CommonJS, used by `schemas.ts`. Types: read-tracking.d.ts.
 */
'use strict';

/**
 * Runs `validate` (a model's `prototype.validate`) on `data` and returns the
 * schema errors it threw plus one problem per unknown field.
 */
function validateTracked(validate, data) {
  const { watched, reads } = watchReads(data);
  let errors = [];
  try {
    validate.call(watched);
  } catch (err) {
    if (!Array.isArray(err && err.errors)) throw err;
    errors = err.errors.map(({ instancePath, schemaPath, keyword, params, message }) => ({ instancePath, schemaPath, keyword, params, message }));
  }
  return { errors, unknownFields: unknownFields(reads) };
}

/** Wraps `root` so that every property read, at any depth, is recorded by JSON pointer. */
function watchReads(root) {
  const reads = new Map();
  const wrap = (value, pointer) => {
    if (value === null || typeof value !== 'object') return value;
    let record = reads.get(pointer);
    if (!record) reads.set(pointer, (record = { value, names: new Set(), listedKeys: false }));
    const seen = record;
    return new Proxy(value, {
      get(target, name) {
        if (typeof name !== 'string') return target[name];
        seen.names.add(name);
        return wrap(target[name], `${pointer}/${escapePointer(name)}`);
      },
      has(target, name) {
        if (typeof name === 'string') seen.names.add(name);
        return name in target;
      },
      ownKeys(target) {
        seen.listedKeys = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  return { watched: wrap(root, ''), reads };
}

/**
 * Keys the validator never read. Objects whose keys it listed are maps, and
 * objects it read nothing of have a free-form schema (e.g. RawExtension or
 * `x-kubernetes-preserve-unknown-fields`): both may hold anything.
 */
function unknownFields(reads) {
  const problems = [];
  for (const [pointer, { value, names, listedKeys }] of reads) {
    if (Array.isArray(value) || listedKeys || names.size === 0) continue;
    for (const key of Object.keys(value)) {
      if (!names.has(key)) problems.push({ pointer: `${pointer}/${escapePointer(key)}`, message: 'unknown field' });
    }
  }
  return problems;
}

/** A key as one JSON-pointer segment. */
function escapePointer(name) {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

module.exports = { validateTracked, escapePointer };
