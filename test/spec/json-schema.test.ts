/** The JSON Schemas editors read: current, accepting what the spec accepts, refusing typos and the insecure options. */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import {
  jsonSchemaText,
  JsonSchema,
  SPEC_SCHEMA_FILE,
  specJsonSchema,
  TENANT_SCHEMA_FILE,
  tenantJsonSchema,
} from '../../src/spec/json-schema';
import { checkTenantDomain } from '../../src/threats/certificates';
import { checkWildcardDnsName, HOST_NAME, WILDCARD_NAME, DNS_LABEL } from '../../src/threats/formats';
import { MAX_TENANT_NAME_LENGTH, checkTenantName } from '../../src/threats/namespaces';
import { isQuantity, QUANTITY_PATTERN } from '../../src/threats/quantity';
import { parseSpec } from '../../src/spec/read-spec';
import { oneTenantSpec, REPO, runCli } from '../helpers';

function compile(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const specValidator = compile(specJsonSchema());
const tenantValidator = compile(tenantJsonSchema());

/** The ajv errors of `data`, as `path: message` lines; empty when valid. */
function errorsOf(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

const specData = (text: string) => parse(text) as Record<string, any>;

describe('the committed schema files', () => {
  test.each([
    [SPEC_SCHEMA_FILE, 'schema', specJsonSchema],
    [TENANT_SCHEMA_FILE, 'schema --tenant', tenantJsonSchema],
  ])('%s is what `tenancy %s` prints now (regenerate it when this fails)', (file, _command, generate) => {
    const committed = fs.readFileSync(path.join(REPO, file), 'utf8');
    expect(committed).toBe(jsonSchemaText(generate()));
  });

  test('`tenancy schema` prints them', () => {
    expect(runCli(['schema']).stdout).toBe(fs.readFileSync(path.join(REPO, SPEC_SCHEMA_FILE), 'utf8'));
    expect(runCli(['schema', '--tenant']).stdout).toBe(fs.readFileSync(path.join(REPO, TENANT_SCHEMA_FILE), 'utf8'));
    expect(runCli(['schema', 'out.json']).status).toBe(2);
  });

  test('every example YAML file names its schema on the first line, and the schema exists', () => {
    const files = listYaml(path.join(REPO, 'examples'));
    expect(files).toContain(path.join(REPO, 'examples/tenancy.yaml'));
    for (const file of files) {
      const first = fs.readFileSync(file, 'utf8').split('\n')[0];
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect({ file, first, match: match !== null }).toEqual({ file, first, match: true });
      expect(fs.existsSync(path.resolve(path.dirname(file), match![1]))).toBe(true);
    }
  });
});

describe('a useful schema', () => {
  test('the spec and a tenant file refuse unknown fields at every level (maps aside: of names, or of Kubernetes keys that check each key and value)', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as JsonSchema;
      const map = n.additionalProperties !== null && typeof n.additionalProperties === 'object' && n.properties === undefined;
      const keyedMap = n.propertyNames !== undefined && typeof n.additionalProperties === 'object';
      if (n.type === 'object' && n.additionalProperties !== false && !map && !keyedMap) open.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(specJsonSchema(), '');
    walk(tenantJsonSchema(), '');
    expect(open).toEqual([]);
  });

  test('a tenant requires name, domains and owners; enums list the allowed values', () => {
    const tenant = tenantJsonSchema() as any;
    expect(tenant.required).toEqual(['name', 'domains', 'owners']);
    expect(tenant.properties.secrets.enum).toEqual(['read-only', 'manage']);
    expect(tenant.properties.podSecurity.enum).toEqual(['restricted', 'baseline']);
    expect(tenant.properties.podSecurity.default).toBe('restricted');
    expect(tenant.properties.traefik.properties.serviceType.enum).toEqual(['LoadBalancer', 'ClusterIP', 'NodePort']);
    expect((specJsonSchema() as any).properties.tenants.items.required).toEqual(['name', 'domains', 'owners']);
  });
});

describe('the spec schema and the examples', () => {
  test('examples/tenancy.yaml passes it', () => {
    const data = specData(fs.readFileSync(path.join(REPO, 'examples/tenancy.yaml'), 'utf8'));
    expect(errorsOf(specValidator, data)).toEqual([]);
  });

  test('a typo in a key fails it, naming the key', () => {
    const data = specData(fs.readFileSync(path.join(REPO, 'examples/tenancy.yaml'), 'utf8'));
    data.tenants[0].domain = data.tenants[0].domains;
    delete data.tenants[0].domains;
    data.platform.trafik = {};
    expect(errorsOf(specValidator, data)).toEqual(expect.arrayContaining([
      '/tenants/0: must have required property \'domains\'',
      '/tenants/0: must NOT have additional properties (domain)',
      '/platform: must NOT have additional properties (trafik)',
    ]));
  });

  test('it refuses the insecure options the spec refuses', () => {
    const spec = (fields: string) => `tenants:\n  - name: payments\n    owners: { groups: [leads] }\n${fields}`;
    const fine = '    domains: [pay.example.com]\n    issuer: { selfSigned: {} }\n';
    const cases: Array<[string, string]> = [
      [`${fine}    podSecurity: privileged\n`, '/tenants/0/podSecurity: must be equal to one of the allowed values'],
      [`${fine}    traefik: { allowCrossNamespace: true }\n`, '/tenants/0/traefik/allowCrossNamespace: must be equal to constant'],
      ['    domains: [pay.example.com]\n    issuer: { clusterIssuer: { name: letsencrypt } }\n', '/tenants/0/issuer/clusterIssuer: must NOT be valid'],
      ['    domains: ["*.example.com"]\n    issuer: { selfSigned: {} }\n', '/tenants/0/domains/0: must match pattern'],
    ];
    expect(() => parseSpec(spec(fine))).not.toThrow();
    expect(errorsOf(specValidator, specData(spec(fine)))).toEqual([]);
    for (const [fields, error] of cases) {
      expect(() => parseSpec(spec(fields))).toThrow(); // the spec refuses it …
      expect(errorsOf(specValidator, specData(spec(fields))).join('\n')).toContain(error); // … and so does the schema
    }
  });

  test('it accepts what the spec accepts: quantities as numbers, upper-case domains, both owner kinds', () => {
    const text = oneTenantSpec('    quota: { requests: { cpu: 2, memory: 4Gi }, limits: { cpu: 4.5 } }\n    team: payments\n')
      .replace('pay.example.com', 'Pay.Example.com')
      .replace('owners: { groups: [payments-leads] }', 'owners: { users: [alice@example.com] }');
    expect(() => parseSpec(text)).not.toThrow();
    expect(errorsOf(specValidator, specData(text))).toEqual([]);
  });

  test('issuer and DNS-01 take exactly one kind; owners at least one subject', () => {
    const text = oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { selfSigned: {}, ca: { secretName: root } }')
      .replace('owners: { groups: [payments-leads] }', 'owners: { groups: [] }');
    expect(errorsOf(specValidator, specData(text))).toEqual(expect.arrayContaining([
      '/tenants/0/issuer: must NOT have more than 1 properties',
      '/tenants/0/owners/groups: must NOT have fewer than 1 items',
    ]));
  });
});

describe('the tenant-file schema', () => {
  test('a tenant file passes it; a typo and an insecure option fail it', () => {
    const tenant = { name: 'shop', domains: ['shop.example.com'], owners: { groups: ['shop-leads'] }, traefik: { replicas: 1 } };
    expect(errorsOf(tenantValidator, tenant)).toEqual([]);
    expect(errorsOf(tenantValidator, { ...tenant, ownres: {} })).toContain('/: must NOT have additional properties (ownres)');
    expect(errorsOf(tenantValidator, { ...tenant, traefik: { allowCrossNamespace: true } })).toContain('/traefik/allowCrossNamespace: must be equal to constant');
    expect(errorsOf(tenantValidator, { ...tenant, name: 'kube-system' })).toContain('/name: must NOT be valid');
  });
});

describe('patterns restated from the rules agree with them', () => {
  const matches = (pattern: string, value: string) => new RegExp(pattern, 'u').test(value);

  test('tenant names', () => {
    const samples = ['payments', 'a', 'a1', 'a-b', 'A', '1a', 'a-', '-a', 'a_b', 'a.b', '', 'x'.repeat(MAX_TENANT_NAME_LENGTH), 'x'.repeat(MAX_TENANT_NAME_LENGTH + 1), 'default', 'cert-manager', 'kube-public', 'kubelab'];
    for (const name of samples) {
      const schemaSays = matches(DNS_LABEL.source, name) && name.length <= MAX_TENANT_NAME_LENGTH && !['default', 'cert-manager'].includes(name) && !name.startsWith('kube-');
      expect({ name, ok: schemaSays }).toEqual({ name, ok: checkTenantName(name, 'traefik') === undefined });
    }
  });

  test('host names and wildcard names', () => {
    const samples = ['pay.example.com', 'Pay.Example.COM', 'example', 'a.b', '-a.example.com', 'a-.example.com', 'a..b', 'a.b.', '*.example.com', 'a.*.com', 'xn--bcher-kva.example', `${'a'.repeat(63)}.com`, `${'a'.repeat(64)}.com`, `${'a.'.repeat(126)}com`, 'a_b.example.com', 'bücher.example'];
    for (const host of samples) {
      expect({ host, ok: matches(HOST_NAME.source, host) }).toEqual({ host, ok: checkTenantDomain(host.toLowerCase()) === undefined });
      expect({ host, ok: matches(WILDCARD_NAME.source, host) }).toEqual({ host, ok: checkWildcardDnsName(host.toLowerCase()) === undefined });
    }
  });

  test('quantities', () => {
    for (const q of ['1', '500m', '4Gi', '1.5', '.5', '1e3', '1E-3', 'Gi', '-1', '1 Gi', '1gi', '']) {
      expect({ q, ok: matches(QUANTITY_PATTERN, q) }).toEqual({ q, ok: isQuantity(q) });
    }
  });
});

function listYaml(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : listYaml(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}
