// `cdk8s-tenancy/spec`: the spec reader and its JSON Schema, for tools around the spec (editors,
// linters, generators). Not part of the jsii API: TypeScript and JavaScript only.
export { readSpec, parseSpec, MAX_TENANTS } from './read-spec';
export type { ReadSpec } from './read-spec';
export { SpecError, formatProblem, MAX_REPORTED_PROBLEMS } from './errors';
export type { SpecProblem } from './errors';
export { specJsonSchema, tenantJsonSchema } from './json-schema';
export type { JsonSchema } from './json-schema';
export type { SpecInput, TenantInput } from './schema';
export { DEFAULTS } from '../defaults';
export { resolveTenancy } from '../model/tenancy-model';
export type { TenancyModel, TenantModel, PlatformModel } from '../model/tenancy-model';
