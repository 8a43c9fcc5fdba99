/** Refusals of the admission, external-secrets, secret-sync and GitOps settings: exact words, with file, line and path. */
import { Chart, Testing } from 'cdk8s';
import { oneTenantSpec, refusals } from '../helpers';
import { AdmissionGuardRails } from '../../src/constructs/admission-guard-rails';
import { TenantSecretStore } from '../../src/constructs/tenant-secret-store';
import { WildcardTLSStore } from '../../src/constructs/wildcard-tls-store';
import { parseSpec } from '../../src/spec/read-spec';
import { checkSyncVia } from '../../src/spec/rules';

const wildcard = (syncTo: string) => `  wildcard:
    dnsNames: ["*.apps.example.com"]
    acme: { email: ops@example.com, dns01: { cloudflare: { apiTokenSecretRef: { name: cf, key: token } } } }
${syncTo}`;

describe('platform.wildcard.syncTo', () => {
  test('refuses kubed, which is retired upstream', () => {
    expect(refusals(oneTenantSpec('', wildcard('    syncTo: { via: kubed, namespaces: [monitoring] }\n')))).toEqual([
      'tenancy.yaml:6:20: platform.wildcard.syncTo.via: `kubed` is retired upstream and no longer maintained — use `reflector` or `replicator`, which cert-manager\'s FAQ also names',
    ]);
  });

  test('refuses patterns, tenant namespaces and the platform namespace, each with its reason', () => {
    expect(refusals(oneTenantSpec('', wildcard('    syncTo: { via: reflector, namespaces: [monitoring, "prod-.*", payments, traefik] }\n')))).toEqual([
      'tenancy.yaml:6:56: platform.wildcard.syncTo.namespaces[1]: `prod-.*` is not a namespace name; reflector and replicator read each entry as a regular expression, which can match a tenant namespace now or when one is added — list each namespace by its exact name',
      "tenancy.yaml:6:67: platform.wildcard.syncTo.namespaces[2]: `payments` is a tenant namespace: a copy of the wildcard certificate's Secret would let that tenant serve every host under the wildcard, other tenants' included — sync it only to platform namespaces (e.g. `monitoring`), never to a tenant",
      'tenancy.yaml:6:77: platform.wildcard.syncTo.namespaces[3]: `traefik` is the platform namespace, where the wildcard Secret already lives — remove it from the list',
    ]);
  });

  test('refuses a namespace that another entry of the spec makes a tenant (the spec is checked whole)', () => {
    const text = `${oneTenantSpec('', wildcard('    syncTo: { via: replicator, namespaces: [monitoring, shop] }\n'))}  - name: shop
    domains: [shop.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
`;
    expect(refusals(text)).toEqual([expect.stringMatching(/^tenancy\.yaml:6:57: platform\.wildcard\.syncTo\.namespaces\[1\]: `shop` is a tenant namespace:/)]);
  });

  test('refuses an empty list, which both tools would read as every namespace', () => {
    expect(refusals(oneTenantSpec('', wildcard('    syncTo: { via: reflector, namespaces: [] }\n')))).toEqual([
      'tenancy.yaml:6:43: platform.wildcard.syncTo.namespaces: lists no namespace — name each namespace that needs the wildcard Secret, e.g. `monitoring`',
    ]);
  });

  test('accepts namespaces listed by name', () => {
    expect(() => parseSpec(oneTenantSpec('', wildcard('    syncTo: { via: replicator, namespaces: [monitoring, ingress-nginx] }\n')))).not.toThrow();
  });
});

describe('platform.externalSecrets', () => {
  test('refuses plain http, a path or role without {tenant}, and unknown placeholders', () => {
    expect(refusals(oneTenantSpec('', '  externalSecrets:\n    vault: { server: "http://vault:8200", path: secret, role: "{team}-{tenant}" }\n'))).toEqual([
      'tenancy.yaml:4:22: platform.externalSecrets.vault.server: must be the https URL of your Vault server, e.g. `https://vault.example.com:8200` — a token sent over plain http can be read on the way',
      "tenancy.yaml:4:49: platform.externalSecrets.vault.path: `secret` has no `{tenant}` placeholder, so every tenant's SecretStore would reach the same secrets — write e.g. `tenants/{tenant}`",
      'tenancy.yaml:4:63: platform.externalSecrets.vault.role: `{team}` is not a placeholder — only `{tenant}` is replaced, e.g. `tenant-{tenant}`',
    ]);
  });
});

describe('platform.gitops and platform.admission', () => {
  test('refuses two engines at once and a path outside the repository', () => {
    expect(refusals(oneTenantSpec('', '  gitops:\n    argocd: { repoURL: x, path: ../dist }\n    flux: { url: y }\n'))).toEqual([
      'tenancy.yaml:4:5: platform.gitops: must name exactly one GitOps engine — set `argocd` or `flux`',
      'tenancy.yaml:4:33: platform.gitops.argocd.path: `../dist` must be a folder inside the repository, relative to its root, without `..` and written with letters, digits, `.`, `_`, `-` and `/` — e.g. `dist`',
    ]);
  });

  test('refuses an unknown admission mode', () => {
    expect(refusals(oneTenantSpec('', '  admission: opa\n'))).toEqual([
      'tenancy.yaml:3:14: platform.admission: `opa` is not allowed — use one of `native`, `kyverno`, `none`',
    ]);
  });
});

describe('library users get the same refusals', () => {
  const chart = () => new Chart(Testing.app(), 'test');
  const acme = { email: 'a@example.com', dns01: { cloudflare: { apiTokenSecretRef: { name: 'cf', key: 't' } } } };

  test('WildcardTLSStore refuses kubed and patterns in syncTo', () => {
    expect(() => new WildcardTLSStore(chart(), 'w', { dnsNames: ['*.apps.example.com'], acme, syncTo: { via: 'kubed' as any, namespaces: ['monitoring'] } })).toThrow(
      `WildcardTLSStore: syncTo.via: ${checkSyncVia('kubed')}`,
    );
    expect(() => new WildcardTLSStore(chart(), 'w', { dnsNames: ['*.apps.example.com'], acme, syncTo: { via: 'reflector', namespaces: ['.*'] } })).toThrow(
      /WildcardTLSStore: syncTo\.namespaces\[0\]: `\.\*` is not a namespace name/,
    );
  });

  test('TenantSecretStore refuses a role that does not name the tenant', () => {
    expect(() => new TenantSecretStore(chart(), 's', { tenant: 'payments', vault: { server: 'https://vault.example.com', role: 'shared' } })).toThrow(
      'TenantSecretStore: vault.role: `shared` has no `{tenant}` placeholder',
    );
  });

  test('AdmissionGuardRails refuses an unknown mode', () => {
    expect(() => new AdmissionGuardRails(chart(), 'a', { mode: 'opa' as any })).toThrow('AdmissionGuardRails: mode: `opa` is not an admission mode — use `native`, `kyverno` or `none`');
  });
});
