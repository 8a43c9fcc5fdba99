/**
 * The generator checks its own output against the isolation rules before writing it, so
 * a regression in a construct fails loudly instead of shipping. The rules are the ones
 * `tenancy audit` applies to foreign manifests, plus the promises only this tool makes.
 *
 * The check streams, so that memory does not grow with the number of tenants: the platform's
 * objects are checked once, then the tenants' a few at a time (`CHUNK`), together with the
 * platform's (the rules that join them — a tenant's Traefik and the platform's
 * ClusterRoleBindings, a tenant's bindings and the default TLSStore — see both), and only the
 * platform findings not reported before are kept.
 * What one tenant's check cannot see of the others is carried between them:
 * - which namespaces are tenants': every check knows all of them (a Traefik watching two tenants,
 *   a binding of another tenant's ServiceAccount). Only the per-namespace rules and the lists of
 *   namespaces a copying annotation reaches walk the tenants, and they walk the tenants at hand
 *   (a pattern or selector is reported all the same, as reaching tenants created later);
 * - what tenants claimed so far that no two may share: hosts (a tenant claiming a host another
 *   tenant claimed, or a wildcard covering it) and fixed node ports. A tenant's claim that an
 *   earlier one conflicts with is checked together with a stand-in for the earlier claim, an
 *   object of the same kind, name and namespace that claims only that, so the rule reports both
 *   sides. A rule that joins objects of several tenants must be carried here (the tests run the
 *   check at chunks of 1, 2 and 16 and compare).
 */
import { checkIsolation } from '../threats';
import { CheckContext, Finding, KubeObjectLike } from '../threats/detect/engine';
import { namedHosts } from '../threats/detect/hosts';
import { TenancyModel } from '../model/tenancy-model';
import { KubeObject, ObjectGroup } from './render';

export type FileFinding = Finding & { readonly file: string };

export class SelfCheckError extends Error {
  constructor(public readonly findings: ReadonlyArray<FileFinding>) {
    super(
      'the rendered output breaks isolation rules (a bug in cdk8s-tenancy, please report it):\n' +
        findings.map((f) => `  ${f.file}: ${f.object}: [${f.rule}] ${f.message}`).join('\n'),
    );
    this.name = 'SelfCheckError';
  }
}

/** Throws `SelfCheckError` listing every finding of `groups` (the platform's first, as `renderGroups` answers). */
export function assertIsolated(groups: Iterable<ObjectGroup>, model: TenancyModel): void {
  const check = model.fleet ? new FleetSelfCheck(model) : new SelfCheck(model);
  for (const group of groups) check.add(group);
  check.finish();
}

/**
 * A fleet's self-check: each member cluster is checked on its own, its platform and the tenants
 * placed on it, as one cluster is (a Traefik, a host, a binding reach no further than their
 * cluster); the management cluster's files hold no tenant's objects and are not judged.
 * Add each cluster's groups together, its platform's first (as `eachFleetGroup` answers them).
 */
export class FleetSelfCheck {
  private current: SelfCheck | undefined;
  private readonly findings: FileFinding[] = [];

  constructor(private readonly model: TenancyModel) {}

  add(group: ObjectGroup): void {
    if (group.cluster === undefined) return;
    if (group.tenant === undefined) {
      this.close();
      const cluster = this.model.fleet?.clusters.find((c) => c.name === group.cluster);
      if (!cluster) throw new Error(`no cluster \`${group.cluster}\` in the fleet for ${group.file}`);
      this.current = new SelfCheck({ platform: cluster.platform, tenants: this.model.tenants.filter((t) => t.cluster === cluster.name) });
    }
    if (!this.current) throw new Error(`${group.file} comes before its cluster's platform`);
    this.current.add(group);
  }

  /** Throws `SelfCheckError` when any group of any cluster broke a rule. */
  finish(): void {
    this.close();
    if (this.findings.length > 0) throw new SelfCheckError(this.findings);
  }

  private close(): void {
    try {
      this.current?.finish();
    } catch (err) {
      if (!(err instanceof SelfCheckError)) throw err;
      this.findings.push(...err.findings);
    }
    this.current = undefined;
  }
}

/**
 * The self-check, one group at a time: `add` each group as it is rendered (the platform's
 * first), then `finish`, which throws `SelfCheckError` with every finding. Holds the platform's
 * objects, the claimed hosts, the findings, and at most `CHUNK` tenants' objects.
 */
export class SelfCheck {
  private readonly tenants: ReadonlySet<string>;
  private readonly secrets: Map<string, 'read-only' | 'manage' | undefined>;
  private readonly platformNamespace: string;
  private platform: { file: string; objects: readonly KubeObject[] } | undefined;
  /** Findings on platform objects already reported, so that each tenant's check adds only new ones. */
  private readonly platformFindings = new Set<string>();
  private readonly hosts = new ClaimedHosts();
  private readonly nodePorts = new ClaimedNodePorts();
  private readonly findings: FileFinding[] = [];

  /** `chunk`: tenant groups checked together (the tests vary it; the default suits the CLI). */
  constructor(model: TenancyModel, private readonly chunk = CHUNK) {
    this.tenants = new Set(model.tenants.map((t) => t.name));
    this.secrets = new Map(model.tenants.map((t) => [t.name, t.secrets]));
    this.platformNamespace = model.platform.namespace;
  }

  add(group: ObjectGroup): void {
    if (group.tenant === undefined && this.platform === undefined) {
      this.platform = group;
      for (const f of checkIsolation(group.objects, this.context(this.tenants))) this.report(f, group.file, true);
      return;
    }
    this.pending.push(group);
    if (this.pending.length >= this.chunk) this.checkPending();
  }

  /** Throws `SelfCheckError` when any group broke a rule. */
  finish(): void {
    this.checkPending();
    if (this.findings.length > 0) throw new SelfCheckError(this.findings);
  }

  /** Tenant groups not yet checked: checked together, a few at a time, so the platform's objects are checked once per chunk. */
  private pending: ObjectGroup[] = [];

  private checkPending(): void {
    const groups = this.pending;
    if (groups.length === 0) return;
    this.pending = [];
    const platform = this.platform?.objects ?? [];
    const own = groups.flatMap((g) => g.objects);
    const stand = [...this.hosts.conflicting(own, this.tenants), ...this.nodePorts.conflicting(own)];
    // Stand-ins for earlier tenants' claims come before this chunk's objects, as in the whole output.
    const objects: KubeObjectLike[] = [...platform, ...stand.map((s) => s.object), ...own];
    const standStart = platform.length;
    // Where each group's objects start in `objects`.
    const starts: number[] = [];
    let at = standStart + stand.length;
    for (const g of groups) {
      starts.push(at);
      at += g.objects.length;
    }
    const view = new SomeTenants(this.tenants, groups.flatMap((g) => (g.tenant === undefined ? [] : [g.tenant])));
    for (const f of checkIsolation(objects, this.context(view))) {
      if (f.objectIndex < standStart) {
        this.report(f, this.platform!.file, true);
      } else if (f.objectIndex >= starts[0]) {
        let k = starts.length - 1;
        while (starts[k] > f.objectIndex) k--;
        this.report({ ...f, objectIndex: f.objectIndex - starts[k] }, groups[k].file, false);
      } else if (f.rule === stand[f.objectIndex - standStart].rule) {
        // The stand-in's other findings are the real object's, reported in its own tenants' check.
        const s = stand[f.objectIndex - standStart];
        this.report({ ...f, objectIndex: s.claim.objectIndex, path: s.claim.path }, s.claim.file, false);
      }
    }
    for (const g of groups) {
      this.hosts.record(g, this.tenants);
      this.nodePorts.record(g);
    }
  }

  private context(tenantNamespaces: ReadonlySet<string>): CheckContext {
    return {
      platformNamespace: this.platformNamespace,
      tenantNamespaces,
      secrets: (namespace: string) => this.secrets.get(namespace) ?? 'read-only',
    };
  }

  private report(f: Finding, file: string, platform: boolean): void {
    if (platform) {
      const key = `${f.rule}\0${f.objectIndex}\0${f.path.join('.')}\0${f.message}`;
      if (this.platformFindings.has(key)) return;
      this.platformFindings.add(key);
    }
    this.findings.push({ ...f, file });
  }
}

/**
 * The tenant namespaces as a check of some tenants sees them: membership is every tenant's (is
 * this namespace a tenant's?), iteration is the checked tenants' own (the per-namespace rules).
 */
class SomeTenants extends Set<string> {
  constructor(private readonly all: ReadonlySet<string>, checked: readonly string[]) {
    super(checked);
  }

  override has(namespace: string): boolean {
    return this.all.has(namespace);
  }
}

/** Tenant groups checked together (with the platform's objects once). */
const CHUNK = 16;

/** Where an earlier claim was made: enough to stand in for the object that made it, and to report it. */
interface Claim {
  readonly file: string;
  readonly objectIndex: number;
  readonly path: Finding['path'];
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** A stand-in for an earlier claim, and the rule that judges it. */
interface StandIn {
  readonly claim: Claim;
  readonly object: KubeObjectLike;
  readonly rule: string;
}

type HostClaim = Claim & { readonly host: string };

/**
 * Hosts claimed by the tenants checked so far, as the rule `one-host-one-tenant` counts them
 * (`namedHosts`, in tenant namespaces).
 */
class ClaimedHosts {
  private readonly byHost = new Map<string, HostClaim[]>();
  /** Claims of `a.b.c` under `b.c`, for a later wildcard `*.b.c`. */
  private readonly byParent = new Map<string, HostClaim[]>();

  /** Stand-ins for earlier claims of other tenants that `objects` claim too (or cover, or are covered by). */
  conflicting(objects: readonly KubeObject[], tenants: ReadonlySet<string>): StandIn[] {
    const found = new Set<HostClaim>();
    for (const c of hostClaims(objects, tenants, '')) {
      const earlier = c.host.startsWith('*.')
        ? [...(this.byHost.get(c.host) ?? []), ...(this.byParent.get(c.host.slice(2)) ?? [])]
        : [...(this.byHost.get(c.host) ?? []), ...(this.byHost.get(`*.${parentOf(c.host)}`) ?? [])];
      for (const e of earlier) if (e.namespace !== c.namespace) found.add(e);
    }
    return [...found].map((claim) => ({ claim, object: hostStandIn(claim), rule: 'one-host-one-tenant' }));
  }

  record(group: ObjectGroup, tenants: ReadonlySet<string>): void {
    for (const c of hostClaims(group.objects, tenants, group.file)) {
      push(this.byHost, c.host, c);
      if (!c.host.startsWith('*.') && c.host.includes('.')) push(this.byParent, parentOf(c.host), c);
    }
  }
}

/** Fixed node ports of the Services checked so far, as the rule `one-node-port-one-tenant` counts them. */
class ClaimedNodePorts {
  private readonly byPort = new Map<number, Claim>();

  /** Stand-ins for earlier Services whose node ports `objects` name too. */
  conflicting(objects: readonly KubeObject[]): StandIn[] {
    const found = new Map<Claim, number>();
    for (const { port } of nodePortClaims(objects, '')) {
      const earlier = this.byPort.get(port);
      if (earlier) found.set(earlier, port);
    }
    return [...found].map(([claim, port]) => ({
      claim,
      object: { apiVersion: claim.apiVersion, kind: claim.kind, metadata: { name: claim.name, namespace: claim.namespace }, spec: { ports: [{ nodePort: port }] } },
      rule: 'one-node-port-one-tenant',
    }));
  }

  record(group: ObjectGroup): void {
    for (const c of nodePortClaims(group.objects, group.file)) if (!this.byPort.has(c.port)) this.byPort.set(c.port, c);
  }
}

function parentOf(host: string): string {
  return host.slice(host.indexOf('.') + 1);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Where `o` is, as a claim at `path` of it. */
function claimOf(o: KubeObject, file: string, objectIndex: number, path: Finding['path']): Claim {
  return { file, objectIndex, path, apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? '' };
}

/** The hosts `objects` claim in tenant namespaces. */
function hostClaims(objects: readonly KubeObject[], tenants: ReadonlySet<string>, file: string): HostClaim[] {
  return objects.flatMap((o, i) => {
    const namespace = o.metadata.namespace;
    if (namespace === undefined || !tenants.has(namespace)) return [];
    return namedHosts(o).filter((h) => h.host !== '').map((h) => ({ ...claimOf(o, file, i, h.path), host: h.host }));
  });
}

/** The fixed node ports of `objects`' Services. */
function nodePortClaims(objects: readonly KubeObject[], file: string): Array<Claim & { readonly port: number }> {
  return objects.flatMap((o, i) => {
    if (o.kind !== 'Service') return [];
    const ports = Array.isArray((o.spec as { ports?: unknown })?.ports) ? (o.spec as { ports: Array<{ nodePort?: unknown }> }).ports : [];
    return ports.flatMap((p, k) => (typeof p?.nodePort === 'number' ? [{ ...claimOf(o, file, i, ['spec', 'ports', k, 'nodePort']), port: p.nodePort }] : []));
  });
}

/** An object of the claim's kind, name and namespace that claims only the claim's host. */
function hostStandIn(c: HostClaim): KubeObjectLike {
  const metadata = { name: c.name, namespace: c.namespace };
  switch (c.kind) {
    case 'Certificate':
      return { apiVersion: c.apiVersion, kind: c.kind, metadata, spec: { dnsNames: [c.host], issuerRef: { kind: 'Issuer', name: 'stand-in' } } };
    case 'Ingress':
      return { apiVersion: c.apiVersion, kind: c.kind, metadata, spec: { rules: [{ host: c.host }] } };
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TLSRoute':
      return { apiVersion: c.apiVersion, kind: c.kind, metadata, spec: { hostnames: [c.host] } };
    default: {
      const fn = c.kind === 'IngressRouteTCP' ? 'HostSNI' : 'Host';
      return { apiVersion: c.apiVersion, kind: c.kind, metadata, spec: { routes: [{ match: `${fn}(\`${c.host}\`)` }] } };
    }
  }
}
