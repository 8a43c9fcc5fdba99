/**
 * The generator checks its own output against the isolation rules before writing it, so
 * a regression in a construct fails loudly instead of shipping.
 */
import { checkIsolation, Finding } from '../policy/checks';
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

/** Throws `SelfCheckError` listing every finding; checks each file on its own, so cost stays linear. */
export function assertIsolated(groups: readonly ObjectGroup[], model: TenancyModel): void {
  const ctx = { platformNamespace: model.platform.namespace, tenantNamespaces: new Set(model.tenants.map((t) => t.name)) };
  const findings = groups.flatMap((g) => checkIsolation(g.objects, ctx).map((f) => ({ ...f, file: g.file })));
  if (findings.length > 0) throw new SelfCheckError(findings);
}
