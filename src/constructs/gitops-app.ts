import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULTS, withDefaults } from '../defaults';
import { GitOpsModel } from '../model/tenancy-model';
import * as fields from '../spec/schema';
import { checkArgoServer, checkFluxSecretRef, checkGitUrl, FLUX_SSH_DEPLOY_KEY, GITOPS_URL, normalizeRepoPath } from '../threats/gitops';
import { PropChecks } from './refuse';

export interface GitOpsAppProps {
  /** Name of the Argo CD Application, or of the Flux GitRepository and Kustomization. */
  readonly name: string;
  /** The rendered file this app applies, relative to the output folder: `tenants/<name>.yaml` or `platform.yaml`. */
  readonly file: string;
  /**
   * Install this Helm chart folder (relative to the output folder, e.g. `tenant-payments`) instead
   * of applying `file`: for `--format helm` output. Argo CD only — Flux installs charts through
   * a HelmRelease, which this tool does not render.
   * @default - the YAML `file` is applied
   */
  readonly chart?: string;
  /** The Helm release the chart is installed as (at most 53 characters). @default - the chart's name */
  readonly release?: string;
  /** The engine and the repository holding the rendered output. */
  readonly gitops: GitOpsModel;
  /** Labels of the objects. */
  readonly labels: Record<string, string>;
}

/**
 * Hands one rendered file to a GitOps engine, which then applies and reconciles it — this
 * object included, since it lives in the file it applies (so adding a tenant adds one file).
 * - Argo CD: an `Application` on the file's folder with `directory.include` naming the file,
 *   or on the chart's folder, which Argo CD renders with Helm.
 * - Flux: a `GitRepository` whose `ignore` keeps only the file, and a `Kustomization` on its
 *   folder (Flux has no per-file include; one folder per tenant would avoid the extra source).
 * Both live in the engine's namespace, where tenants have no rights.
 */
export class GitOpsApp extends Construct {
  constructor(scope: Construct, id: string, props: GitOpsAppProps) {
    super(scope, id);
    const refusals = new PropChecks('GitOpsApp');
    if ('argocd' in props.gitops) {
      const A = DEFAULTS.platform.argocd;
      const a = withDefaults(A, props.gitops.argocd);
      refusals.check('gitops.argocd.repoURL', checkGitUrl(a.repoURL, 'argocd'), GITOPS_URL);
      refusals.check('gitops.argocd.server', checkArgoServer(a.server), GITOPS_URL);
      refusals.parse('gitops.argocd.path', fields.repoPath, a.path);
      refusals.done();
      new ApiObject(this, 'Application', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: props.name, namespace: a.namespace, labels: props.labels },
        spec: {
          project: a.project,
          source: { repoURL: a.repoURL, targetRevision: a.targetRevision, ...argoSourcePath(normalizeRepoPath(a.path), props.file, props.chart, props.release) },
          // Every object names its own namespace; cluster-scoped ones have none.
          destination: { server: a.server },
          // allowEmpty stays false: a file missing from Git never prunes a whole tenant.
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      });
      return;
    }
    const F = DEFAULTS.platform.flux;
    const f = withDefaults(F, props.gitops.flux);
    refusals.check('chart', props.chart === undefined ? undefined : 'Flux applies the rendered YAML through a Kustomization; charts need a HelmRelease, which this tool does not render — leave `chart` unset, or use Argo CD');
    refusals.check('gitops.flux.url', checkGitUrl(f.url, 'flux'), GITOPS_URL);
    refusals.check('gitops.flux.secretRef', checkFluxSecretRef(f.url, f.secretRef), FLUX_SSH_DEPLOY_KEY);
    refusals.parse('gitops.flux.path', fields.repoPath, f.path);
    refusals.parse('gitops.flux.interval', fields.interval, f.interval);
    refusals.done();
    const repoPath = normalizeRepoPath(f.path);
    const { folder } = splitFile(repoPath, props.file);
    new ApiObject(this, 'GitRepository', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: props.name, namespace: f.namespace, labels: props.labels },
      spec: {
        url: f.url,
        ref: { branch: f.branch },
        interval: f.interval,
        ignore: ignoreAllBut(repoPath, props.file),
        ...(f.secretRef ? { secretRef: { name: f.secretRef } } : {}),
      },
    });
    new ApiObject(this, 'Kustomization', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: props.name, namespace: f.namespace, labels: props.labels },
      spec: {
        interval: f.interval,
        path: `./${folder === '.' ? '' : folder}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: props.name },
      },
    });
  }
}

/**
 * Where an Application's source points: the chart's folder, rendered by Argo CD with Helm
 * (release named after the chart), or the file's folder narrowed to the file.
 */
function argoSourcePath(repoPath: string, file: string, chart: string | undefined, release = chart) {
  if (chart) return { path: repoParts(repoPath, chart).join('/'), helm: { releaseName: release } };
  const { folder, base } = splitFile(repoPath, file);
  return { path: folder, directory: { recurse: false, include: base } };
}

/** `dist` + `tenants/a.yaml` → `['dist', 'tenants', 'a.yaml']`; the repository root `.` adds nothing. */
function repoParts(repoPath: string, file: string): string[] {
  return [...(repoPath === '.' ? [] : repoPath.split('/')), ...file.split('/')];
}

/** `dist` + `tenants/a.yaml` → folder `dist/tenants`, base `a.yaml`. */
function splitFile(repoPath: string, file: string): { folder: string; base: string } {
  const parts = repoParts(repoPath, file);
  const base = parts.pop()!;
  return { folder: parts.length > 0 ? parts.join('/') : '.', base };
}

/**
 * A `.gitignore` (Flux `spec.ignore`) that keeps exactly one file: everything is ignored, then
 * each parent folder is let back in with its content ignored, then the file itself.
 */
export function ignoreAllBut(repoPath: string, file: string): string {
  const parts = repoParts(repoPath, file);
  const lines = ['/*'];
  let prefix = '';
  for (const folder of parts.slice(0, -1)) {
    prefix += `/${folder}`;
    lines.push(`!${prefix}/`, `${prefix}/*`);
  }
  lines.push(`!/${parts.join('/')}`);
  return `${lines.join('\n')}\n`;
}
