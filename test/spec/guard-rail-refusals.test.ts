/** Refusals of the admission, external-secrets, secret-sync and GitOps settings: exact words, with file, line and path. */
import { Chart, Testing } from 'cdk8s';
import { oneTenantSpec, refusals } from '../helpers';
import { AdmissionGuardRails } from '../../src/constructs/admission-guard-rails';
import { Platform } from '../../src/constructs/platform';
import { Dns01Solver, SecretSync, SecretSyncTool, WildcardTlsStore } from '../../src/constructs/wildcard-tls-store';
import { parseSpec } from '../../src/spec/read-spec';
import { checkSyncVia } from '../../src/threats/secrets';

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
      'tenancy.yaml:6:77: platform.wildcard.syncTo.namespaces[3]: `traefik` is the platform namespace, where the wildcard Secret already lives — remove it from the list',
      // A clash with a tenant is reported once, at the tenant's name (in the file that added it), with both ways out.
      "tenancy.yaml:8:11: tenants[0].name: `payments` is also listed in `platform.wildcard.syncTo.namespaces`: this tenant would receive a copy of the wildcard certificate's private key and could serve every host under it, other tenants' included — remove it from that list, or choose another tenant name",
    ]);
  });

  test('refuses `default` and a namespace listed twice', () => {
    expect(refusals(oneTenantSpec('', wildcard('    syncTo: { via: reflector, namespaces: [monitoring, default, monitoring] }\n')))).toEqual([
      "tenancy.yaml:6:56: platform.wildcard.syncTo.namespaces[1]: `default` is where workloads and people without a namespace of their own end up, so the wildcard's private key would be in reach of many — sync it to a namespace of the workload that needs it",
      'tenancy.yaml:6:65: platform.wildcard.syncTo.namespaces[2]: `monitoring` is listed twice — remove one entry',
    ]);
  });

  test('refuses a namespace that another entry of the spec makes a tenant (the spec is checked whole)', () => {
    const text = `${oneTenantSpec('', wildcard('    syncTo: { via: replicator, namespaces: [monitoring, shop] }\n'))}  - name: shop
    domains: [shop.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
`;
    expect(refusals(text)).toEqual([expect.stringMatching(/^tenancy\.yaml:12:11: tenants\[1\]\.name: `shop` is also listed in `platform\.wildcard\.syncTo\.namespaces`/)]);
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
      'tenancy.yaml:4:22: platform.externalSecrets.vault.server: must be the https URL of your Vault server (lower-case `https://`, a valid host and port), e.g. `https://vault.example.com:8200` — a token sent over plain http can be read on the way',
      "tenancy.yaml:4:49: platform.externalSecrets.vault.path: `secret` has no `{tenant}` placeholder, so every tenant's SecretStore would reach the same secrets — write e.g. `tenants/{tenant}`",
      'tenancy.yaml:4:63: platform.externalSecrets.vault.role: `{team}` is not a placeholder — only `{tenant}` is replaced, e.g. `tenant-{tenant}`',
    ]);
  });

  test('refuses credentials or a path in the server URL, and templates that leave the tenant\'s scope', () => {
    const vault = '  externalSecrets:\n    vault:\n      server: "https://root:s3cr3t@vault.example.com:8200"\n      path: "{tenant}/../shared"\n      role: "{tenant}*"\n      authMountPath: "../../sys"\n';
    expect(refusals(oneTenantSpec('', vault))).toEqual([
      'tenancy.yaml:5:15: platform.externalSecrets.vault.server: `https://root:s3cr3t@vault.example.com:8200` carries credentials; a URL is written into every rendered file and readable by whoever reads them — write only the server, e.g. `https://vault.example.com:8200`',
      'tenancy.yaml:6:13: platform.externalSecrets.vault.path: `{tenant}/../shared` is not a plain Vault path (no empty, `.` or `..` segments, no leading or trailing `/`; letters, digits, `.`, `_`, `-` and `{tenant}`) — write e.g. `tenants/{tenant}`',
      'tenancy.yaml:7:13: platform.externalSecrets.vault.role: `{tenant}*` is not a Vault role name (letters, digits, `.`, `_`, `-` and `{tenant}`) — write e.g. `tenant-{tenant}`',
      'tenancy.yaml:8:22: platform.externalSecrets.vault.authMountPath: `../../sys` is not a plain Vault path (no empty, `.` or `..` segments, no leading or trailing `/`; letters, digits, `.`, `_`, `-`) — write e.g. `kubernetes`',
    ]);
    expect(refusals(oneTenantSpec('', '  externalSecrets:\n    vault: { server: "https://vault.example.com:8200/?x=1", authMountPath: "k8s-{tenant}" }\n'))).toEqual([
      'tenancy.yaml:4:22: platform.externalSecrets.vault.server: `https://vault.example.com:8200/?x=1` has a query or fragment, which Vault\'s client would mangle — write only the server, e.g. `https://vault.example.com:8200`',
      'tenancy.yaml:4:76: platform.externalSecrets.vault.authMountPath: `k8s-{tenant}` is not a plain Vault path (no empty, `.` or `..` segments, no leading or trailing `/`; letters, digits, `.`, `_`, `-`) — write e.g. `kubernetes`',
    ]);
    // A gateway's path prefix, KV v2 style paths and dotted role names are plain Vault.
    expect(() => parseSpec(oneTenantSpec('', '  externalSecrets:\n    vault: { server: "https://gw.example.com/vault", path: "secret/data/{tenant}", role: "tenant.{tenant}_rw", authMountPath: "k8s/prod" }\n'))).not.toThrow();
  });
});

describe('platform.gitops and platform.admission', () => {
  test('refuses two engines at once and a path outside the repository', () => {
    expect(refusals(oneTenantSpec('', '  gitops:\n    argocd: { repoURL: "https://git.example.com/t.git", path: ../dist }\n    flux: { url: "https://git.example.com/t.git" }\n'))).toEqual([
      'tenancy.yaml:4:5: platform.gitops: must name exactly one GitOps engine — set `argocd` or `flux`',
      'tenancy.yaml:4:63: platform.gitops.argocd.path: `../dist` is not a plain relative folder (absolute, `..`, `.`, `//` or other characters) — write a folder inside the repository relative to its root, with letters, digits, `.`, `_`, `-` and `/` between folder names — e.g. `dist`',
    ]);
  });

  test('refuses paths with `.`, empty or absolute segments, and an empty path', () => {
    const fluxWithPath = (p: string) => oneTenantSpec('', `  gitops:\n    flux: { url: "https://git.example.com/t.git", path: "${p}" }\n`);
    for (const p of ['dist/./x', 'dist//x', '/dist', '']) expect(refusals(fluxWithPath(p))).toEqual([expect.stringContaining('platform.gitops.flux.path: ')]);
    for (const p of ['dist', './dist', 'dist/', '.', 'out/v1.2']) expect(() => parseSpec(fluxWithPath(p))).not.toThrow();
  });

  test('refuses plain http, credentials in URLs, an scp-style URL for Flux, ssh without a key, and a zero interval', () => {
    const argocd = (fields: string) => oneTenantSpec('', `  gitops:\n    argocd: { ${fields} }\n`);
    expect(refusals(argocd('repoURL: "https://deploy:ghp_SECRET@github.com/x.git", server: "https://x:y@cluster"'))).toEqual([
      'tenancy.yaml:4:24: platform.gitops.argocd.repoURL: `https://deploy:ghp_SECRET@github.com/x.git` carries a user name, password or token; a URL is written into every rendered file and readable by whoever reads them — remove `deploy:…@` from the URL and give credentials to the engine through a repository Secret in Argo CD',
      'tenancy.yaml:4:78: platform.gitops.argocd.server: `https://x:y@cluster` is not an https URL without credentials — use the API server URL Argo CD knows the cluster by, e.g. `https://kubernetes.default.svc`',
    ]);
    expect(refusals(argocd('repoURL: "http://git.internal/x.git"'))).toEqual([
      'tenancy.yaml:4:24: platform.gitops.argocd.repoURL: `http://git.internal/x.git` is not an https or ssh Git URL (lower-case scheme, no spaces) — plain http lets anyone on the path change what the cluster applies; write e.g. `https://git.example.com/platform/tenancy.git` or `git@git.example.com:platform/tenancy.git`',
    ]);
    for (const url of [
      'git@github.com:org/x.git', 'git@git.example.com:/srv/git/x.git', 'ssh://git@github.com/org/x.git', 'ssh://git@git.example.com:2222/org/x.git',
      'https://github.com/org/x.git', 'https://ghe.example.com:8443/org/x.git', 'https://dev.azure.com/myorg/proj/_git/x',
    ]) {
      expect(() => parseSpec(argocd(`repoURL: "${url}"`))).not.toThrow();
    }
    for (const url of ['https://git.exa\tmple.com/x.git', 'https://git.example.com/my repo.git', 'HTTPS://git.example.com/x.git', 'ftp://git.example.com/x.git']) {
      expect(refusals(argocd(`repoURL: ${JSON.stringify(url)}`))).toEqual([expect.stringContaining('is not an https or ssh Git URL (lower-case scheme, no spaces); write e.g.')]);
    }
    // GitHub takes a token as the user name: any user information in an https URL is refused.
    expect(refusals(argocd('repoURL: "https://ghp_abc123@github.com/o/r.git"'))).toEqual([expect.stringContaining('remove `ghp_abc123@` from the URL')]);
    const flux = (fields: string) => oneTenantSpec('', `  gitops:\n    flux: { ${fields} }\n`);
    expect(refusals(flux('url: "git@github.com:org/x.git", interval: 0s'))).toEqual([
      'tenancy.yaml:4:18: platform.gitops.flux.url: `git@github.com:org/x.git` is not an https or ssh Git URL (lower-case scheme, no spaces); write e.g. `https://git.example.com/platform/tenancy.git` or `ssh://git@git.example.com/platform/tenancy.git`',
      'tenancy.yaml:4:56: platform.gitops.flux.interval: must be at least `30s`, e.g. `10m` — every tenant has a GitRepository of its own, and polling each more often floods the Git server',
    ]);
    for (const interval of ['0.0000001ms', '29s', '1ms']) expect(refusals(flux(`url: "https://git.example.com/x.git", interval: "${interval}"`))).toEqual([expect.stringContaining('flux.interval: must be at least `30s`')]);
    for (const interval of ['30s', '1m', '1h30m']) expect(() => parseSpec(flux(`url: "https://git.example.com/x.git", interval: "${interval}"`))).not.toThrow();
    expect(refusals(flux('url: "ssh://git@github.com/org/x.git"'))).toEqual([
      'tenancy.yaml:4:11: platform.gitops.flux.secretRef: an ssh URL needs a deploy key — set `secretRef` to the Secret (in the Flux namespace) holding `identity` and `known_hosts`',
    ]);
  });

  test('refuses a GitOps namespace that is the platform\'s, `default` or another add-on\'s; a tenant of its name is refused at its name', () => {
    const argocdIn = (ns: string) => oneTenantSpec('', `  gitops:\n    argocd: { repoURL: "https://git.example.com/t.git", namespace: ${ns} }\n`);
    expect(refusals(argocdIn('traefik'))).toEqual([
      "tenancy.yaml:4:68: platform.gitops.argocd.namespace: `traefik` is the platform namespace, whose Secrets every tenant's Traefik may read, Git credentials included — use the engine's own namespace, e.g. `argocd`",
    ]);
    for (const ns of ['default', 'kube-system', 'cert-manager', 'flux-system']) {
      expect(refusals(argocdIn(ns))).toEqual([expect.stringContaining(`platform.gitops.argocd.namespace: \`${ns}\` belongs to Kubernetes or another add-on`)]);
    }
    expect(() => parseSpec(argocdIn('argocd'))).not.toThrow();
    expect(() => parseSpec(argocdIn('gitops'))).not.toThrow();
    expect(refusals(oneTenantSpec('', '  gitops:\n    flux: { url: "https://git.example.com/t.git", namespace: payments }\n'))).toEqual([
      "tenancy.yaml:6:11: tenants[0].name: `payments` is also the GitOps engine's namespace (`platform.gitops.flux.namespace`): the tenant's owners could read the Git credentials there, and the objects that apply every tenant would sit in its space — set another namespace there, or choose another tenant name",
    ]);
  });


  test('refuses an unknown admission mode', () => {
    expect(refusals(oneTenantSpec('', '  admission: opa\n'))).toEqual([
      'tenancy.yaml:3:14: platform.admission: `opa` is not allowed — use one of `native`, `kyverno`, `gatekeeper`, `none`',
    ]);
  });
});

describe('library users get the same refusals', () => {
  const chart = () => new Chart(Testing.app(), 'test');
  const wildcard = (syncTo: SecretSync) => () => new WildcardTlsStore(chart(), 'w', {
    platform: new Platform(chart(), 'p'),
    dnsNames: ['*.apps.example.com'],
    acme: { email: 'a@example.com', dns01: Dns01Solver.cloudflare({ apiTokenSecretRef: { name: 'cf', key: 't' } }) },
    syncTo,
  });

  test('WildcardTlsStore refuses kubed and patterns in syncTo', () => {
    expect(wildcard({ via: 'kubed' as any, namespaces: ['monitoring'] })).toThrow(`WildcardTlsStore: syncTo.via: ${checkSyncVia('kubed')}`);
    expect(wildcard({ via: SecretSyncTool.REFLECTOR, namespaces: ['.*'] })).toThrow(/WildcardTlsStore: syncTo\.namespaces\[0\]: `\.\*` is not a namespace name/);
  });

  test('the Platform refuses a Vault role that does not name the tenant, paths that climb out, and credentials in the server URL', () => {
    const platform = (vault: object) => () => new Platform(chart(), 'p', { externalSecrets: { vault: { server: 'https://vault.example.com', ...vault } } });
    expect(platform({ role: 'shared' })).toThrow('Platform: externalSecrets.vault.role: `shared` has no `{tenant}` placeholder');
    expect(platform({ path: '{tenant}/..' })).toThrow('Platform: externalSecrets.vault.path: `{tenant}/..` is not a plain Vault path');
    expect(platform({ authMountPath: '../sys' })).toThrow('Platform: externalSecrets.vault.authMountPath: `../sys` is not a plain Vault path');
    expect(platform({ server: 'https://u:p@vault.example.com' })).toThrow('Platform: externalSecrets.vault.server: `https://u:p@vault.example.com` carries credentials');
  });

  test('AdmissionGuardRails refuses an unknown mode', () => {
    expect(() => new AdmissionGuardRails(chart(), 'a', { mode: 'opa' as any })).toThrow('AdmissionGuardRails: mode: `opa` is not allowed — use one of `native`, `kyverno`, `gatekeeper`, `none`');
  });
});
