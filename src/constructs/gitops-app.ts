import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULTS, withDefaults } from '../defaults';
import { ArgoCdModel, FluxModel, GitOpsModel } from '../model/tenancy-model';
import * as fields from '../spec/schema';
import { checkArgoServer, checkFluxSecretRef, checkGitUrl, FLUX_SSH_DEPLOY_KEY, GITOPS_URL, normalizeRepoPath } from '../threats/gitops';
import { PropChecks } from './refuse';

/** An Argo CD that applies the rendered output, for `GitOps.argoCd`. */
export interface ArgoCdOptions {
  /** The Git repository holding the rendered output: https or ssh, without credentials (give those to Argo CD). */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * Folder of the rendered output in the repository (it holds `platform.yaml` and `tenants/`).
   * @default 'dist'
   */
  readonly path?: string;
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * Argo CD's namespace, where the Applications go. Never the platform's or a tenant's.
   * @default 'argocd'
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * The Argo CD project.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * The API server Argo CD knows the cluster by.
   * @default 'https://kubernetes.default.svc'
   */
  readonly server?: string;
}

/** A Flux that applies the rendered output, for `GitOps.flux`. */
export interface FluxOptions {
  /** The Git repository holding the rendered output: https or `ssh://`, without credentials. */
  readonly url: string;
  /**
   * The branch.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * Folder of the rendered output in the repository (it holds `platform.yaml` and `tenants/`).
   * @default 'dist'
   */
  readonly path?: string;
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * Flux's namespace, where the GitRepositories and Kustomizations go. Never the platform's or a tenant's.
   * @default 'flux-system'
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * How often Flux polls the repository, at least `30s`.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * The Secret (in Flux's namespace) with the deploy key; required for an ssh URL.
   * @default - none: a public https repository
   */
  readonly secretRef?: string;
}

/** The refusal for a `gitops` prop that is no `GitOps`. */
export const NOT_GITOPS = 'is not a GitOps — pass `GitOps.argoCd({ repoUrl })` or `GitOps.flux({ url })`';

/** The GitOps engine that applies each rendered file: Argo CD or Flux. */
export class GitOps {
  /** Argo CD: an `Application` per file (or per chart). */
  public static argoCd(options: ArgoCdOptions): GitOps {
    const refusals = new PropChecks('GitOps');
    const a = withDefaults(DEFAULTS.platform.argocd, options);
    refusals.check('argoCd.repoUrl', checkGitUrl(a.repoUrl, 'argocd'), GITOPS_URL);
    refusals.check('argoCd.server', checkArgoServer(a.server), GITOPS_URL);
    refusals.parse('argoCd.path', fields.repoPath, a.path);
    refusals.done();
    const { repoUrl, ...rest } = options;
    return new GitOps({ argocd: definedOnly({ repoURL: repoUrl, ...rest }) as ArgoCdModel });
  }

  /** Flux: a `GitRepository` and a `Kustomization` per file. Flux cannot install charts. */
  public static flux(options: FluxOptions): GitOps {
    const refusals = new PropChecks('GitOps');
    const f = withDefaults(DEFAULTS.platform.flux, options);
    refusals.check('flux.url', checkGitUrl(f.url, 'flux'), GITOPS_URL);
    refusals.check('flux.secretRef', checkFluxSecretRef(f.url, f.secretRef), FLUX_SSH_DEPLOY_KEY);
    refusals.parse('flux.path', fields.repoPath, f.path);
    refusals.parse('flux.interval', fields.interval, f.interval);
    refusals.done();
    return new GitOps({ flux: definedOnly({ ...options }) as FluxModel });
  }

  /** The engine's settings as the spec writes them. @internal */
  public readonly _spec: GitOpsModel;

  private constructor(spec: GitOpsModel) {
    this._spec = spec;
  }

  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * The engine's namespace (its default when not set).
   * @jsii suppress JSII5018
   */
  public get namespace(): string {
    return 'argocd' in this._spec ? this._spec.argocd.namespace ?? DEFAULTS.platform.argocd.namespace : this._spec.flux.namespace ?? DEFAULTS.platform.flux.namespace;
  }

  /** `argoCd` or `flux`. */
  public get engine(): string {
    return 'argocd' in this._spec ? 'argoCd' : 'flux';
  }
}

/** Props of `GitOpsApp`: which file (or chart) it applies, with which engine. */
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
  readonly gitops: GitOps;
  /** Labels of the objects. */
  readonly labels: { [key: string]: string };
  /**
   * The cluster the file is applied to, when it is not the engine's default: a fleet's member
   * cluster, or a cluster tenant's own.
   * @default - Argo CD's `server` (default `https://kubernetes.default.svc`); the cluster Flux runs in
   */
  readonly cluster?: GitOpsCluster;
  /**
   * The Argo CD project of the Application.
   * @default - the engine's `project` (default `default`)
   */
  readonly project?: string;
  /**
   * Names of Flux Kustomizations (in the same namespace) applied before this one.
   * @default - none
   */
  readonly dependsOn?: string[];
}

/** How a GitOps engine reaches a cluster other than its default, for `GitOpsAppProps.cluster`. */
export interface GitOpsCluster {
  /**
   * Argo CD: the cluster's API server URL.
   * @default - by `destinationName`
   */
  readonly server?: string;
  /**
   * Argo CD: the name the cluster is registered under.
   * @default - by `server`
   */
  readonly destinationName?: string;
  /**
   * Flux: the Secret with the cluster's kubeconfig, in the namespace the GitRepository and
   * Kustomization live in.
   * @default - the cluster Flux runs in
   */
  readonly kubeConfigSecret?: string;
  /**
   * Flux: the key of the kubeconfig in that Secret.
   * @default 'value'
   */
  readonly kubeConfigKey?: string;
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * Flux: where the GitRepository and Kustomization live, beside the kubeconfig Secret (Cluster
   * API writes it in the Cluster's namespace).
   * @default - the engine's namespace
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
}

/**
 * Hands one rendered file to a GitOps engine, which then applies and reconciles it — this
 * object included, since it lives in the file it applies (so adding a tenant adds one file).
 * - Argo CD: an `Application` on the file's folder with `directory.include` naming the file,
 *   or on the chart's folder, which Argo CD renders with Helm.
 * - Flux: a `GitRepository` whose `ignore` keeps only the file, and a `Kustomization` on its
 *   folder (Flux has no per-file include; one folder per tenant would avoid the extra source).
 * Both live in the engine's namespace, where tenants have no rights. `Platform` and `Tenant`
 * build one each when the platform has `gitops`.
 */
export class GitOpsApp extends Construct {
  /** The Argo CD Application, or the Flux GitRepository and Kustomization. */
  public readonly apiObjects: ApiObject[];

  constructor(scope: Construct, id: string, props: GitOpsAppProps) {
    super(scope, id);
    const refusals = new PropChecks('GitOpsApp');
    const gitops = props.gitops instanceof GitOps ? props.gitops._spec : undefined;
    refusals.check('gitops', gitops ? undefined : NOT_GITOPS);
    if (gitops && 'flux' in gitops) {
      refusals.check('chart', props.chart === undefined ? undefined : 'Flux applies the rendered YAML through a Kustomization; charts need a HelmRelease, which this tool does not render — leave `chart` unset, or use Argo CD');
    }
    refusals.done();
    if ('argocd' in gitops!) {
      const a = withDefaults(DEFAULTS.platform.argocd, gitops.argocd);
      this.apiObjects = [new ApiObject(this, 'Application', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: props.name, namespace: a.namespace, labels: props.labels },
        spec: {
          project: props.project ?? a.project,
          source: { repoURL: a.repoURL, targetRevision: a.targetRevision, ...argoSourcePath(normalizeRepoPath(a.path), props.file, props.chart, props.release) },
          // Every object names its own namespace; cluster-scoped ones have none.
          destination: argoDestination(props.cluster, a.server),
          // allowEmpty stays false: a file missing from Git never prunes a whole tenant.
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      })];
      return;
    }
    const f = withDefaults(DEFAULTS.platform.flux, gitops!.flux);
    const repoPath = normalizeRepoPath(f.path);
    const { folder } = splitFile(repoPath, props.file);
    const namespace = props.cluster?.namespace ?? f.namespace;
    const kubeConfigSecret = props.cluster?.kubeConfigSecret;
    this.apiObjects = [
      new ApiObject(this, 'GitRepository', {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: props.name, namespace, labels: props.labels },
        spec: {
          url: f.url,
          ref: { branch: f.branch },
          interval: f.interval,
          ignore: ignoreAllBut(repoPath, props.file),
          ...(f.secretRef ? { secretRef: { name: f.secretRef } } : {}),
        },
      }),
      new ApiObject(this, 'Kustomization', {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: props.name, namespace, labels: props.labels },
        spec: {
          ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: props.dependsOn.map((name) => ({ name })) } : {}),
          interval: f.interval,
          ...(kubeConfigSecret ? { kubeConfig: { secretRef: { name: kubeConfigSecret, ...(props.cluster?.kubeConfigKey ? { key: props.cluster.kubeConfigKey } : {}) } } } : {}),
          path: `./${folder === '.' ? '' : folder}`,
          prune: true,
          sourceRef: { kind: 'GitRepository', name: props.name },
        },
      }),
    ];
  }
}

/** An Argo CD destination: the cluster's server or registered name, else the engine's server. */
export function argoDestination(cluster: GitOpsCluster | undefined, server: string): { server: string } | { name: string } {
  if (cluster?.server !== undefined) return { server: cluster.server };
  if (cluster?.destinationName !== undefined) return { name: cluster.destinationName };
  return { server };
}

/** `obj` without its undefined fields. */
function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
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
