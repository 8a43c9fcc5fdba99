/**
 * The generator checks its own output against the isolation rules before writing it, so
 * a regression in a construct fails loudly instead of shipping. The rules are the ones
 * `tenancy audit` applies to foreign manifests, plus the promises only this tool makes.
 */
import { checkIsolation } from '../threats';
import { Finding } from '../threats/detect/engine';
import { TenancyModel } from '../model/tenancy-model';
import { ObjectGroup } from './render';

export class SelfCheckError extends Error {
  constructor(public readonly findings: ReadonlyArray<Finding & { file: string }>) {
    super(
      'the rendered output breaks isolation rules (a bug in cdk8s-tenancy, please report it):\n' +
        findings.map((f) => `  ${f.file}: ${f.object}: [${f.rule}] ${f.message}`).join('\n'),
    );
    this.name = 'SelfCheckError';
  }
}

/**
 * Throws `SelfCheckError` listing every finding. All files are checked together, so rules
 * across tenants (one host, one tenant; a Traefik watching one tenant) see the whole output;
 * the checks index objects once, so cost stays linear.
 */
export function assertIsolated(groups: readonly ObjectGroup[], model: TenancyModel): void {
  const secrets = new Map(model.tenants.map((t) => [t.name, t.secrets]));
  const ctx = {
    platformNamespace: model.platform.namespace,
    tenantNamespaces: new Set(model.tenants.map((t) => t.name)),
    secrets: (namespace: string) => secrets.get(namespace) ?? 'read-only',
  };
  const objects = groups.flatMap((g) => g.objects);
  const fileOf = groups.flatMap((g) => g.objects.map(() => g.file));
  const findings = checkIsolation(objects, ctx).map((f) => ({ ...f, file: fileOf[f.objectIndex] }));
  if (findings.length > 0) throw new SelfCheckError(findings);
}
