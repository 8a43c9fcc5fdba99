import { oneTenantSpec, refusals } from '../helpers';
import { parseSpec } from '../../src/spec/read-spec';

describe('the spec schema refuses what is insecure, each with file, line, field path and a remedy', () => {
  test('refuses allowCrossNamespace: true on a tenant', () => {
    expect(refusals(oneTenantSpec('    traefik: { allowCrossNamespace: true }\n'))).toEqual([
      "tenancy.yaml:8:37: tenants[0].traefik.allowCrossNamespace: cross-namespace references let one tenant's routes use Services, Middlewares and TLS Secrets of another tenant — remove the field or set it to `false`",
    ]);
  });

  test('refuses allowCrossNamespace: true in platform.defaults', () => {
    const text = oneTenantSpec('', '  defaults:\n    traefik:\n      allowCrossNamespace: true\n');
    expect(refusals(text)).toEqual([
      expect.stringMatching(/^tenancy\.yaml:5:28: platform\.defaults\.traefik\.allowCrossNamespace: cross-namespace references/),
    ]);
  });

  test('refuses two tenants whose CA issuers read Secrets of one name (copies of one CA, most likely), at the second; another name passes', () => {
    const ca = (secretName: string) => `issuer: { ca: { secretName: ${secretName} } }`;
    const spec = (second: string) => `${oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', ca('corp-ca'))}  - name: shop
    domains: [shop.example.com]
    owners: { groups: [shop-leads] }
    ${ca(second)}
`;
    expect(refusals(spec('corp-ca'))).toEqual([
      "tenancy.yaml:11:33: tenants[1].issuer.ca.secretName: tenant `payments`'s CA issuer reads a Secret named `corp-ca` too: if both hold one CA, each tenant could sign for the other's hosts — give each tenant a CA of its own under its own Secret name, or share one CA through `platform.ca` (tenants opt in with `issuer: { platformCA: {} }`)",
    ]);
    expect(() => parseSpec(spec('shop-ca'))).not.toThrow();
  });

  test('refuses a tenant CA named like the platform CA\'s Secret', () => {
    const spec = oneTenantSpec('', '  ca: { secretName: corp-ca }\n').replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { ca: { secretName: corp-ca } }');
    expect(refusals(spec)).toEqual([
      expect.stringMatching(/^tenancy\.yaml:\d+:\d+: tenants\[0\]\.issuer\.ca\.secretName: `corp-ca` is the platform CA's Secret \(`platform\.ca\.secretName`\): a copy in the tenant's namespace hands its owners the key that signs for every tenant — /),
    ]);
  });

  test('accepts a toleration of a taint with an empty value, as Kubernetes does', () => {
    expect(() => parseSpec(oneTenantSpec('    traefik: { tolerations: [{ key: dedicated, operator: Equal, value: "", effect: NoSchedule }] }\n'))).not.toThrow();
    expect(() => parseSpec(oneTenantSpec('    traefik: { tolerations: [{ key: dedicated, operator: Exists, value: "", effect: NoSchedule }] }\n'))).not.toThrow();
  });

  test('accepts allowCrossNamespace: false stated explicitly', () => {
    expect(() => parseSpec(oneTenantSpec('    traefik: { allowCrossNamespace: false }\n'))).not.toThrow();
  });

  test('refuses a wildcard tenant domain and says where wildcards belong', () => {
    const [line] = refusals(oneTenantSpec().replace('[pay.example.com]', '["*.example.com"]'));
    expect(line).toBe(
      "tenancy.yaml:5:15: tenants[0].domains[0]: `*.example.com` is a wildcard; a tenant holding a wildcard certificate can serve every host under it, other tenants' included — list each host, or put the wildcard on `platform.wildcard`",
    );
  });

  test('folds upper-case domains to lower case', () => {
    const { spec } = parseSpec(oneTenantSpec().replace('[pay.example.com]', '[Pay.Example.COM]'));
    expect(spec.tenants![0].domains).toEqual(['pay.example.com']);
  });

  test.each([
    ['pay.example.com.', 'ends with a dot — write it without the trailing dot'],
    ['päy.example.com', 'has non-ASCII characters — write the punycode form (`xn--…`)'],
    ['pay_example.com', 'is not a valid DNS name'],
    ['localhost', 'is not a valid DNS name'],
    ['-pay.example.com', 'is not a valid DNS name'],
  ])('refuses the malformed domain %s', (domain, reason) => {
    const lines = refusals(oneTenantSpec().replace('[pay.example.com]', `["${domain}"]`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`tenants[0].domains[0]: \`${domain}\` ${reason}`);
  });

  test('refuses one domain claimed by two tenants, naming the first owner', () => {
    const text = `${oneTenantSpec()}  - name: shop
    domains: [shop.example.com, PAY.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
`;
    expect(refusals(text)).toEqual([
      'tenancy.yaml:9:33: tenants[1].domains[1]: `pay.example.com` is claimed twice: tenant `payments` already claims it — a host belongs to one tenant only; remove one entry',
    ]);
  });

  test('refuses a domain outside platform.allowedDomains', () => {
    expect(refusals(oneTenantSpec().replace('[pay.example.com]', '[pay.example.org]'))).toEqual([
      'tenancy.yaml:5:15: tenants[0].domains[0]: `pay.example.org` is outside `platform.allowedDomains` (example.com) — use a host under one of them, or ask the platform team to allow its zone',
    ]);
  });

  test('accepts the allowed zone itself and hosts under it', () => {
    expect(() => parseSpec(oneTenantSpec().replace('[pay.example.com]', '[example.com, a.b.example.com]'))).not.toThrow();
  });

  test('refuses an allowed-zone look-alike (suffix without a dot)', () => {
    expect(refusals(oneTenantSpec().replace('[pay.example.com]', '[badexample.com]'))[0]).toContain('is outside `platform.allowedDomains`');
  });

  test.each([
    ['default', 'is reserved for Kubernetes or cluster add-ons'],
    ['kube-system', 'is reserved for Kubernetes or cluster add-ons'],
    ['kube-public', 'is reserved for Kubernetes or cluster add-ons'],
    ['cert-manager', 'is reserved for Kubernetes or cluster add-ons'],
    ['vault', 'is reserved for Kubernetes or cluster add-ons'],
    ['reflector', 'is reserved for Kubernetes or cluster add-ons'],
    ['traefik', 'is the platform namespace, which holds every tenant\'s Traefik and the wildcard certificate'],
  ])('refuses the reserved namespace %s as a tenant name', (name, reason) => {
    const lines = refusals(oneTenantSpec().replace('name: payments', `name: ${name}`));
    expect(lines).toEqual([expect.stringContaining(`tenancy.yaml:4:11: tenants[0].name: \`${name}\` ${reason} — choose another tenant name`)]);
  });

  test('refuses a custom platform namespace as a tenant name', () => {
    const text = oneTenantSpec('', '  traefik: { namespace: ingress }\n').replace('name: payments', 'name: ingress');
    expect(refusals(text)[0]).toContain('`ingress` is the platform namespace');
  });

  test.each(['Payments', 'pay_ments', '1payments', 'payments-'])('refuses the invalid tenant name %s', (name) => {
    expect(refusals(oneTenantSpec().replace('name: payments', `name: "${name}"`))[0]).toMatch(/is not a DNS-1123 label starting with a letter — use lowercase letters/);
  });

  test('refuses a tenant name too long for the names derived from it', () => {
    const name = `t${'a'.repeat(55)}`;
    expect(refusals(oneTenantSpec().replace('name: payments', `name: ${name}`))).toEqual([
      `tenancy.yaml:4:11: tenants[0].name: \`${name}\` is 56 characters; the names derived from it (\`traefik-${name}\`) must fit in 63 — use at most 55 characters`,
    ]);
  });

  test('accepts a tenant name of exactly 55 characters', () => {
    expect(() => parseSpec(oneTenantSpec().replace('name: payments', `name: t${'a'.repeat(54)}`))).not.toThrow();
  });

  test('refuses duplicate tenant names', () => {
    const text = `${oneTenantSpec()}  - name: payments
    domains: [other.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
`;
    expect(refusals(text)).toEqual([
      'tenancy.yaml:8:11: tenants[1].name: tenant `payments` is defined twice (first as tenants[0]) — rename one or merge them',
    ]);
  });

  test('refuses podSecurity: privileged and says what to use instead', () => {
    expect(refusals(oneTenantSpec('    podSecurity: privileged\n'))).toEqual([
      "tenancy.yaml:8:18: tenants[0].podSecurity: `privileged` lets a tenant's pods take over the node they run on (host namespaces, host paths, privileged containers) — use `baseline` if `restricted` is too strict",
    ]);
  });

  test('refuses a clusterIssuer and says why', () => {
    const text = oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { clusterIssuer: { name: letsencrypt } }');
    expect(refusals(text)).toEqual([
      'tenancy.yaml:7:30: tenants[0].issuer.clusterIssuer: a ClusterIssuer can be used by a Certificate in any namespace, so any tenant could obtain certificates through it — use a namespaced issuer: `acme`, `ca` or `selfSigned`',
    ]);
  });

  test('refuses an issuer that sets two kinds at once', () => {
    const text = oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { selfSigned: {}, ca: { secretName: ca } }');
    expect(refusals(text)[0]).toContain('tenants[0].issuer: sets `ca` and `selfSigned` — keep exactly one');
  });

  test('refuses a tenant with no issuer anywhere', () => {
    const text = oneTenantSpec().replace("    issuer: { acme: { email: ops@example.com } }\n", '');
    expect(refusals(text)[0]).toContain("tenants[0].issuer: no issuer for this tenant's certificates — set `issuer` here or in `platform.defaults.issuer`");
  });

  test('refuses a wildcard whose issuer has no DNS-01 solver', () => {
    const text = oneTenantSpec('', '  wildcard:\n    dnsNames: ["*.apps.example.com"]\n    acme:\n      email: ops@example.com\n      http01: {}\n');
    expect(refusals(text)).toEqual([
      'tenancy.yaml:7:15: platform.wildcard.acme.http01: a wildcard certificate can only be issued through a DNS-01 challenge — add `dns01` with your DNS provider (e.g. `cloudflare.apiTokenSecretRef`)',
    ]);
  });

  test('refuses a wildcard outside the allowed domains', () => {
    const text = oneTenantSpec('', '  wildcard:\n    dnsNames: ["*.apps.example.org"]\n    acme: { email: ops@example.com, dns01: { route53: { region: eu-west-1 } } }\n');
    expect(refusals(text)[0]).toContain('platform.wildcard.dnsNames[0]: `*.apps.example.org` is outside `platform.allowedDomains`');
  });

  test.each([
    ['quota: { requests: { cpu: 4x } }', 'tenants[0].quota.requests.cpu: `4x` is not a Kubernetes quantity'],
    ['quota: { limits: { memory: -1Gi } }', 'tenants[0].quota.limits.memory: `-1Gi` is not a Kubernetes quantity'],
    ['limits: { max: { memory: 4GB } }', 'tenants[0].limits.max.memory: `4GB` is not a Kubernetes quantity'],
  ])('refuses the invalid quantity in %s', (yaml, expected) => {
    expect(refusals(oneTenantSpec(`    ${yaml}\n`))[0]).toContain(expected);
  });

  test('refuses quota requests above quota limits', () => {
    expect(refusals(oneTenantSpec('    quota: { requests: { cpu: "16" }, limits: { cpu: "8" } }\n'))[0]).toContain(
      'tenants[0].quota.requests.cpu: quota.requests.cpu (16) is more than quota.limits.cpu (8) — Kubernetes rejects a request above its limit',
    );
  });

  test('refuses owners with no subject', () => {
    expect(refusals(oneTenantSpec().replace('owners: { groups: [payments-leads] }', 'owners: { groups: [] }'))[0]).toContain(
      'tenants[0].owners: names no subject — add at least one group or user who administers this tenant',
    );
  });

  test('refuses an unknown secrets mode', () => {
    expect(refusals(oneTenantSpec('    secrets: write\n'))).toEqual([
      'tenancy.yaml:8:14: tenants[0].secrets: `write` is not allowed — use one of `read-only`, `manage`',
    ]);
  });
});

describe('unknown keys are refused anywhere, never ignored', () => {
  test.each([
    ['a top-level typo', 'tenant:\n  - x\n', 'tenancy.yaml:8:1: tenant: unknown field `tenant`', 'did you mean `tenants`?'],
    ['a tenant typo', '    domain: [x.example.com]\n', 'tenancy.yaml:8:5: tenants[0].domain: unknown field `domain`', 'did you mean `domains`?'],
    ['a nested typo', '    traefik: { replica: 3 }\n', 'tenancy.yaml:8:16: tenants[0].traefik.replica: unknown field `replica`', 'did you mean `replicas`?'],
    ['a deep typo', '    quota: { requests: { cpus: "1" } }\n', 'tenancy.yaml:8:26: tenants[0].quota.requests.cpus: unknown field `cpus`', 'did you mean `cpu`?'],
  ])('refuses %s', (_what, extra, start, hint) => {
    const lines = refusals(oneTenantSpec(extra));
    expect(lines).toEqual([expect.stringContaining(start)]);
    expect(lines[0]).toContain(hint);
  });

  test('lists the known fields when nothing is close', () => {
    expect(refusals(oneTenantSpec('    zzzzzzzz: 1\n'))[0]).toContain('known fields here: `name`, `team`');
  });

  test('refuses name/domains/owners inside platform.defaults', () => {
    expect(refusals(oneTenantSpec('', '  defaults:\n    domains: [a.example.com]\n'))[0]).toContain('platform.defaults.domains: unknown field `domains`');
  });
});

describe('malformed YAML is refused with its position', () => {
  test('refuses an empty file', () => {
    expect(refusals('')).toEqual(['tenancy.yaml:1:1: (root): the file is empty (or only comments) — write the spec\'s fields (see `examples/tenancy.yaml`), or delete the file']);
  });

  test('refuses a document that is not a mapping', () => {
    expect(refusals('- a\n- b\n')).toEqual(['tenancy.yaml:1:1: (root): the document is a list, not a mapping — write `key: value` fields at the top level']);
  });

  test('refuses duplicate keys', () => {
    const lines = refusals(oneTenantSpec().replace('    owners:', '    domains: [b.example.com]\n    owners:'));
    expect(lines).toEqual(['tenancy.yaml:6:5: tenants[0].domains: `domains` is set twice in `tenants[0]` (first on line 5) — keep one of the two entries']);
  });

  test('refuses an alias bomb without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    const lines = refusals(`${bomb.join('\n')}\n`);
    expect(lines[0]).toMatch(/^tenancy\.yaml:1:1: \(root\): the YAML aliases \(`\*name`\) expand into more than 2000 nodes, as a resource-exhaustion attack does — /);
    expect(Date.now() - started).toBeLessThan(60000); // it must not hang; not a timing claim
  });

  test('refuses broken syntax with the line of the mistake', () => {
    expect(refusals('platform:\n  traefik: [\n')[0]).toMatch(/^tenancy\.yaml:\d+:\d+: \(root\): invalid YAML: .* — fix the syntax at this position$/);
  });
});

describe('every problem is reported at once', () => {
  test('pins the whole message for a spec with two mistakes', () => {
    const text = oneTenantSpec('    podSecurity: privileged\n    traefik: { allowCrossNamespace: true }\n');
    let message = '';
    try {
      parseSpec(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe([
      "tenancy.yaml:8:18: tenants[0].podSecurity: `privileged` lets a tenant's pods take over the node they run on (host namespaces, host paths, privileged containers) — use `baseline` if `restricted` is too strict",
      "tenancy.yaml:9:37: tenants[0].traefik.allowCrossNamespace: cross-namespace references let one tenant's routes use Services, Middlewares and TLS Secrets of another tenant — remove the field or set it to `false`",
    ].join('\n'));
  });

  test('reports cross-tenant refusals together with shape errors', () => {
    const text = `${oneTenantSpec('    secrets: write\n')}  - name: kube-x
    domains: [pay.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
`;
    const lines = refusals(text);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('tenants[0].secrets');
    expect(lines[1]).toContain('tenants[1].name: `kube-x` is reserved');
    expect(lines[2]).toContain('tenants[1].domains[0]: `pay.example.com` is claimed twice');
  });
});

describe('refusals found by trying the tool as a new user', () => {
  test.each([
    ['system:serviceaccounts:beta'],
    ['system:nodes'],
    ['system:authenticated'],
    ['SYSTEM:masters'],
  ])('refuses the Kubernetes system identity %s as an owner', (subject) => {
    const lines = refusals(oneTenantSpec().replace('groups: [payments-leads]', `groups: ["${subject}"]`));
    expect(lines).toEqual([
      `tenancy.yaml:6:24: tenants[0].owners.groups[0]: \`${subject}\` is a Kubernetes system identity (service accounts, nodes or every authenticated user), so owner rights would reach beyond the tenant's people — name a user or group from your identity provider, e.g. \`payments-leads\``,
    ]);
  });

  test('refuses an owner with surrounding spaces, and an empty one, with one message each', () => {
    expect(refusals(oneTenantSpec().replace('groups: [payments-leads]', 'groups: [" leads "]'))).toEqual([
      'tenancy.yaml:6:24: tenants[0].owners.groups[0]: " leads " has surrounding spaces or control characters — write the name exactly as your identity provider sends it',
    ]);
    expect(refusals(oneTenantSpec().replace('groups: [payments-leads]', 'groups: [""]'))).toEqual([
      'tenancy.yaml:6:24: tenants[0].owners.groups[0]: is empty — name the group or user as your identity provider sends it',
    ]);
  });

  test.each(['cert-manager', 'kube-system', 'flux-system'])('refuses %s as the platform namespace', (ns) => {
    expect(refusals(oneTenantSpec('', `  traefik: { namespace: ${ns} }\n`))).toEqual([
      `tenancy.yaml:3:25: platform.traefik.namespace: \`${ns}\` belongs to Kubernetes or a cluster add-on, and every tenant's Traefik may read the Secrets of the platform namespace — use a namespace of its own, e.g. \`traefik\``,
    ]);
  });

  test.each(['argocd', 'kyverno', 'external-secrets', 'kong', 'cattle-fleet', 'gitlab-runner'])('refuses the add-on namespace %s as a tenant', (name) => {
    expect(refusals(oneTenantSpec().replace('name: payments', `name: ${name}`))[0]).toContain(`\`${name}\` is reserved for Kubernetes or cluster add-ons`);
  });

  test.each([
    ['traefik:v2.11.0', 'is not a Traefik v3 release of at least v3.7.11'],
    ['traefik:v3.7.10', 'is not a Traefik v3 release of at least v3.7.11'],
    ['traefik:v2.0', 'is a Traefik v2, not v3'],
    ['registry.example.com:5000/traefik:v2', 'is a Traefik v2, not v3'],
    ['traefik:latest', 'has the moving tag `latest` instead of a release'],
    ['traefik:v3', 'has the moving tag `v3` instead of a release'],
    ['traefik', 'has no version tag'],
    [`traefik:v2.11@sha256:${'a'.repeat(64)}`, 'is tagged `v2.11`, older than v3.7.11: if the digest is that release'],
    [`traefik:v3.0.0@sha256:${'a'.repeat(64)}`, 'is tagged `v3.0.0`, older than v3.7.11'],
    ['TRAEFIK:v3.7.11', 'has upper-case letters in its repository'],
  ])('refuses the Traefik image %s', (image, reason) => {
    expect(refusals(oneTenantSpec('', `  traefik: { image: "${image}" }\n`))[0]).toContain(`platform.traefik.image: \`${image}\` ${reason}`);
  });

  test.each(['traefik:v3.7.11', 'traefik:v3.8.0', 'registry.example.com:5000/mirror/traefik:v3.7.12', `traefik@sha256:${'a'.repeat(64)}`, `traefik:v3.7.11@sha256:${'a'.repeat(64)}`, `traefik:v3.8@sha256:${'a'.repeat(64)}`, `traefik:latest@sha256:${'a'.repeat(64)}`])(
    'accepts the Traefik image %s', (image) => {
      expect(() => parseSpec(oneTenantSpec('', `  traefik: { image: "${image}" }\n`))).not.toThrow();
    },
  );

  test('refuses Traefik resource requests above their limits, defaults included', () => {
    expect(refusals(oneTenantSpec('    traefik: { resources: { requests: { cpu: "2" } } }\n'))).toEqual([
      'tenancy.yaml:8:46: tenants[0].traefik.resources.requests.cpu: traefik.resources.requests.cpu (2) is more than traefik.resources.limits.cpu (1, from the built-in default) — Kubernetes rejects a request above its limit; lower the first or raise the second',
    ]);
  });

  test('compares quantities exactly: 700m equals 0.7', () => {
    expect(() => parseSpec(oneTenantSpec('    quota: { requests: { cpu: 700m }, limits: { cpu: "0.7" } }\n'))).not.toThrow();
  });

  test('refuses a number that would not be written back as typed, and says to quote it', () => {
    expect(refusals(oneTenantSpec('    quota: { requests: { memory: 123456789012345678901234 } }\n'))[0]).toContain(
      'tenants[0].quota.requests.memory: `1.2345678901234569e+23` cannot be kept exactly as a number — write it as a quoted string',
    );
  });

  test('refuses an IP address as a tenant domain', () => {
    expect(refusals(oneTenantSpec().replace('[pay.example.com]', '["10.0.0.1"]'))[0]).toContain('`10.0.0.1` is an IP address or ends in a numeric label, not a DNS name');
  });

  test('refuses http01 next to dns01 on the wildcard, instead of ignoring it', () => {
    const text = oneTenantSpec('', '  wildcard:\n    dnsNames: ["*.apps.example.com"]\n    acme:\n      email: ops@example.com\n      dns01: { route53: { region: eu-west-1 } }\n      http01: { anything: [1] }\n');
    expect(refusals(text)).toEqual([
      'tenancy.yaml:8:15: platform.wildcard.acme.http01: a wildcard certificate can only be issued through a DNS-01 challenge, so `http01` would never be used — remove it',
    ]);
  });

  test('refuses a wildcard Secret that is also the DNS token Secret', () => {
    const text = oneTenantSpec('', '  wildcard:\n    dnsNames: ["*.apps.example.com"]\n    secretName: cf\n    acme: { email: ops@example.com, dns01: { cloudflare: { apiTokenSecretRef: { name: cf, key: token } } } }\n');
    expect(refusals(text)[0]).toContain('platform.wildcard.secretName: `cf` is also the Secret of the DNS-01 API token');
  });

  test('says what a Secret name must look like', () => {
    const text = oneTenantSpec('', '  wildcard:\n    dnsNames: ["*.apps.example.com"]\n    secretName: Wild_TLS\n    acme: { email: ops@example.com, dns01: { route53: { region: eu-west-1 } } }\n');
    expect(refusals(text)[0]).toContain('platform.wildcard.secretName: must be a DNS-1123 subdomain (lower-case letters, digits, `-` and `.`), e.g. `platform-wildcard-tls`');
  });

  test('refuses an empty allowedDomains and a quota of no Service', () => {
    expect(refusals(oneTenantSpec().replace('allowedDomains: [example.com]', 'allowedDomains: []'))[0]).toContain('platform.allowedDomains: lists no zone');
    expect(refusals(oneTenantSpec('    quota: { services: 0 }\n'))[0]).toContain("tenants[0].quota.services: is below 1 — cert-manager's HTTP-01 solver needs a Service");
  });

  test('refuses a second YAML document with a plain message', () => {
    expect(refusals(`${oneTenantSpec()}---\nfoo: 1\n`)[0]).toContain('the file holds more than one YAML document (`---`) — keep one document');
  });

  test('accepts a log level in any case', () => {
    expect(parseSpec(oneTenantSpec('    traefik: { logLevel: debug }\n')).spec.tenants![0].traefik!.logLevel).toBe('DEBUG');
  });
});
