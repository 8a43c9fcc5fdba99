/**
 * Validates one object with an ESM-only kubernetes-models package, for
 * schemas.ts: jest's module loader cannot import ESM, Node's can.
 *
 * stdin:  {"module": "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore",
 *          "exportName": "SecretStore", "data": {...the object...}}
 * stdout: {"apiVersion": ..., "kind": ..., "errors": [...], "unknownFields": [...]}
 * Without "data" it only reports the model's apiVersion and kind (none for sub-types).
 */
import { readFileSync } from 'node:fs';
import readTracking from './read-tracking.js';

const { module: modulePath, exportName, data } = JSON.parse(readFileSync(0, 'utf8'));
const model = (await import(modulePath))[exportName];
const result = data === undefined ? {} : readTracking.validateTracked(model.prototype.validate, data);
process.stdout.write(JSON.stringify({ apiVersion: model.apiVersion, kind: model.kind, ...result }));
