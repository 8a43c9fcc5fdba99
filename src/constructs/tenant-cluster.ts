import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { DEFAULTS } from '../defaults';
import { clusterApiKubeconfigSecret, tenantClusterName } from '../model/names';
import * as fields from '../spec/schema';
import { tenantLabels } from './labels';
import { PropChecks } from './refuse';

/** The workers of a tenant's cluster, for `TenantClusterProps.workers`. */
export interface TenantClusterWorkers {
  /**
   * The worker class of the ClusterClass the MachineDeployment is made from.
   * @default 'default-worker'
   */
  readonly workerClass?: string;
  /**
   * Worker machines.
   * @default 2
   */
  readonly replicas?: number;
}

/** Props of `TenantCluster`. */
export interface TenantClusterProps {
  /** The tenant; its cluster is named after it. */
  readonly tenant: string;
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * The management namespace, where the `Cluster` and its ClusterClass live (and Cluster API
   * writes the cluster's kubeconfig Secret). No tenant has rights there.
   * @default 'tenancy-clusters'
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /** The ClusterClass the cluster is made from, in the management namespace. */
  readonly clusterClass: string;
  /** The cluster's Kubernetes version, e.g. `v1.33.1`. */
  readonly version: string;
  /**
   * The cluster's workers.
   * @default - 2 machines of the `default-worker` class
   */
  readonly workers?: TenantClusterWorkers;
}

/**
 * The top of the isolation spectrum: a tenant with a cluster of its own, a Cluster API `Cluster`
 * (cluster.x-k8s.io/v1beta2) made from a ClusterClass the platform names, in the management
 * namespace of the management cluster. Adding such a tenant is a variable substitution: the
 * ClusterClass holds everything else. The tenant's baseline (its platform and tenant files) is
 * delivered into the new cluster by the GitOps engine once Cluster API has written its kubeconfig.
 */
export class TenantCluster extends Construct {
  /** The cluster's name (the tenant's). */
  public readonly clusterName: string;
  /** The management namespace. */
  public readonly namespaceName: string;
  /** The Secret in which Cluster API writes the cluster's admin kubeconfig (key `value`), in the management namespace. */
  public readonly kubeconfigSecret: string;
  /** The Cluster. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TenantClusterProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantCluster');
    const namespace = props.namespace ?? DEFAULTS.platform.clusterApi.namespace;
    refusals.parse('namespace', fields.platformClusterApi.shape.namespace, namespace);
    refusals.parse('clusterClass', fields.platformClusterApi.shape.clusterClass.unwrap(), props.clusterClass);
    refusals.parse('version', fields.platformClusterApi.shape.version.unwrap(), props.version);
    if (props.workers?.replicas !== undefined) refusals.parse('workers.replicas', z.int().min(0).max(1000), props.workers.replicas);
    refusals.done();
    const workers = DEFAULTS.platform.clusterApi.workers;
    this.clusterName = tenantClusterName(props.tenant);
    this.namespaceName = namespace;
    this.kubeconfigSecret = clusterApiKubeconfigSecret(this.clusterName);
    this.apiObject = new ApiObject(this, 'Cluster', {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: this.clusterName, namespace, labels: tenantLabels(props.tenant) },
      spec: {
        topology: {
          classRef: { name: props.clusterClass },
          version: props.version,
          workers: {
            machineDeployments: [{
              class: props.workers?.workerClass ?? workers.class,
              name: 'workers',
              replicas: props.workers?.replicas ?? workers.replicas,
            }],
          },
        },
      },
    });
  }
}
