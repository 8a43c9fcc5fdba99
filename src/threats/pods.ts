/**
 * Threats from pods: the usual container escapes to the node (and from there to every tenant on
 * it), and the hardening this tool promises for the pods it runs itself.
 */
import { DetectorRun, KubeObjectLike } from './detect/engine';
import { POD_MAKING_KINDS, podSpecAt } from './detect/pod-specs';
import { asArray, asRecord, asString, asStrings, FieldPath } from './detect/values';
import { DEFAULTS } from '../defaults';
import { ADMISSION_POLICY_NAMES } from '../model/names';
import { none, Threat } from './threat';


const NOT_A_SPEC_FIELD = 'tenants choose their own pods: no spec field describes them';
const OWN_PODS_HARDENED = 'the only pods the constructs make (Traefik) are hardened by construction, and the self-check verifies it';
const NOT_VALUES = 'pod security settings are not chart values';
const RESTRICTED_ENFORCES = 'Pod Security `restricted` (the default) enforces it; a `baseline` tenant chose to allow it';

/** A container of a pod spec, with where it sits. */
interface ContainerAt {
  readonly name: string;
  readonly securityContext: Record<string, unknown>;
  readonly path: FieldPath;
}

/**
 * The pod spec and containers (init and ephemeral included) of an object to judge: in the
 * generator's output, every object that makes pods; in foreign manifests, those in tenant
 * namespaces (platform controllers such as a CNI legitimately run privileged).
 */
function podToJudge(run: DetectorRun, o: KubeObjectLike): { spec: Record<string, unknown>; path: FieldPath; containers: ContainerAt[] } | undefined {
  const ns = asString(o.metadata?.namespace);
  if (!run.generated && (ns === undefined || !run.tenants.has(ns))) return undefined;
  const pod = podSpecAt(o);
  if (!pod) return undefined;
  const containers: ContainerAt[] = [];
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    asArray(pod.spec[field]).forEach((raw, k) => {
      const c = asRecord(raw);
      containers.push({ name: asString(c.name) ?? `#${k}`, securityContext: asRecord(c.securityContext), path: [...pod.path, field, k] });
    });
  }
  return { ...pod, containers };
}

/** A detector that judges each pod to judge. */
const overPods = (judge: (run: DetectorRun, pod: NonNullable<ReturnType<typeof podToJudge>>, i: number) => void) => (run: DetectorRun) => ({
  kinds: POD_MAKING_KINDS,
  visit: (o: KubeObjectLike, i: number) => {
    const pod = podToJudge(run, o);
    if (pod) judge(run, pod, i);
  },
});

/** CEL: every container of `variables.containers` satisfies `predicate` (of `c`). */
const everyContainer = (predicate: string) => `variables.containers.all(c, ${predicate})`;

export const NO_PRIVILEGED: Threat = {
  id: 'no-privileged',
  family: 'pods',
  severity: 'critical',
  title: 'A privileged container',
  why: 'A privileged container has every capability and device of the node: it controls the node, and every tenant\'s pods on it.',
  fix: 'Set `privileged: false` (or leave it out).',
  spec: none(NOT_A_SPEC_FIELD),
  construct: none(OWN_PODS_HARDENED),
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.podSecurity,
      expression: everyContainer('!has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false'),
      message: 'containers may not be privileged: a privileged container controls the node.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A privileged container (init and ephemeral containers included) in a pod, or a workload\'s pod template, in a tenant namespace (in the generator\'s output: anywhere).',
    detect: overPods((run, pod, i) => {
      for (const c of pod.containers) if (c.securityContext.privileged === true) run.report(i, `container \`${c.name}\` is privileged`, c.path);
    }),
  },
};

export const NO_HOST_PATH: Threat = {
  id: 'no-host-path',
  family: 'pods',
  severity: 'critical',
  title: 'A pod mounts a hostPath',
  why: 'A hostPath volume exposes the node\'s file system, other tenants\' volumes and the kubelet\'s credentials included.',
  fix: 'Use emptyDir or a PersistentVolumeClaim.',
  spec: none(NOT_A_SPEC_FIELD),
  construct: none(OWN_PODS_HARDENED),
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.podSecurity,
      expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))',
      message: 'pods may not mount a hostPath volume: it exposes the node\'s files, other tenants\' included.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A hostPath volume in a pod or pod template in a tenant namespace (generator: anywhere).',
    detect: overPods((run, pod, i) => {
      const k = asArray(pod.spec.volumes).findIndex((v) => asRecord(v).hostPath !== undefined);
      if (k >= 0) run.report(i, `pod mounts hostPath volume \`${asString(asRecord(asArray(pod.spec.volumes)[k]).name) ?? `#${k}`}\``, [...pod.path, 'volumes', k]);
    }),
  },
};

export const NO_HOST_NAMESPACES: Threat = {
  id: 'no-host-namespaces',
  family: 'pods',
  severity: 'critical',
  title: 'A pod shares a host namespace',
  why: 'hostNetwork, hostPID and hostIPC give a pod the node\'s view of the network and processes: it can sniff other tenants\' traffic and signal their processes.',
  fix: 'Drop hostNetwork, hostPID and hostIPC.',
  spec: none(NOT_A_SPEC_FIELD),
  construct: none(OWN_PODS_HARDENED),
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.podSecurity,
      expression: '!(has(variables.podSpec.hostNetwork) && variables.podSpec.hostNetwork) && !(has(variables.podSpec.hostPID) && variables.podSpec.hostPID) && !(has(variables.podSpec.hostIPC) && variables.podSpec.hostIPC)',
      message: 'pods may not share the node\'s network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: '`hostNetwork`, `hostPID` or `hostIPC` in a pod or pod template in a tenant namespace (generator: anywhere).',
    detect: overPods((run, pod, i) => {
      const shared = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec[f] === true);
      if (shared.length > 0) run.report(i, `pod shares the node's ${shared.join(', ')}`, [...pod.path, shared[0]]);
    }),
  },
};

export const RUN_AS_NON_ROOT: Threat = {
  id: 'run-as-non-root',
  family: 'pods',
  severity: 'high',
  title: 'A container may run as root',
  why: 'Root in a container is one kernel bug away from root on the node; Pod Security `baseline` does not require non-root.',
  fix: 'Set `runAsNonRoot: true` on the pod or each container, and no `runAsUser: 0`.',
  spec: none(NOT_A_SPEC_FIELD),
  construct: none(OWN_PODS_HARDENED),
  values: none(NOT_VALUES),
  admission: {
    validations: [
      {
        policy: ADMISSION_POLICY_NAMES.podSecurity,
        expression: everyContainer('(has(c.securityContext) && has(c.securityContext.runAsNonRoot)) ? c.securityContext.runAsNonRoot == true : (has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsNonRoot) && variables.podSpec.securityContext.runAsNonRoot == true)'),
        message: 'every container must run as non-root: set securityContext.runAsNonRoot: true on the pod or on each container.',
      },
      {
        policy: ADMISSION_POLICY_NAMES.podSecurity,
        expression: '!(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsUser) && variables.podSpec.securityContext.runAsUser == 0) && variables.containers.all(c, !(has(c.securityContext) && has(c.securityContext.runAsUser) && c.securityContext.runAsUser == 0))',
        message: 'runAsUser 0 is root: use a non-zero user id.',
      },
    ],
  },
  audit: {
    scope: 'all',
    looksFor: 'A container in a tenant namespace without `runAsNonRoot: true` (its own or its pod\'s), or with `runAsUser: 0` (generator: anywhere).',
    detect: overPods((run, pod, i) => {
      const podSc = asRecord(pod.spec.securityContext);
      for (const c of pod.containers) {
        const nonRoot = (c.securityContext.runAsNonRoot ?? podSc.runAsNonRoot) === true;
        const root = (c.securityContext.runAsUser ?? podSc.runAsUser) === 0;
        if (!nonRoot || root) run.report(i, `container \`${c.name}\` may run as root`, c.path);
      }
    }),
  },
};

/** A hardening promise of this tool's own pods, checked on its output only. */
function hardeningThreat(
  id: string, severity: Threat['severity'], title: string, why: string, fix: string, looksFor: string,
  weak: (sc: Record<string, unknown>, podSc: Record<string, unknown>) => string | undefined,
): Threat {
  return {
    id,
    family: 'pods',
    severity,
    title,
    why,
    fix,
    spec: none(NOT_A_SPEC_FIELD),
    construct: none(OWN_PODS_HARDENED),
    values: none(NOT_VALUES),
    admission: none(RESTRICTED_ENFORCES),
    audit: {
      scope: 'generated',
      looksFor,
      detect: overPods((run, pod, i) => {
        const podSc = asRecord(pod.spec.securityContext);
        for (const c of pod.containers) {
          const what = weak(c.securityContext, podSc);
          if (what) run.report(i, `container \`${c.name}\` ${what}`, c.path);
        }
      }),
    },
  };
}

export const NO_PRIVILEGE_ESCALATION = hardeningThreat('no-privilege-escalation', 'high', 'A container allows privilege escalation',
  'setuid binaries can gain privileges the container was not given.', 'Set `allowPrivilegeEscalation: false`.',
  'A container of the generator\'s output without `allowPrivilegeEscalation: false`.',
  (sc) => (sc.allowPrivilegeEscalation === false ? undefined : 'allows privilege escalation'));

export const DROP_ALL_CAPABILITIES = hardeningThreat('drop-all-capabilities', 'high', 'A container keeps Linux capabilities',
  'Default capabilities (NET_RAW…) widen the kernel attack surface.', 'Drop `ALL` capabilities.',
  'A container of the generator\'s output that does not drop `ALL` capabilities.',
  (sc) => (asStrings(asRecord(sc.capabilities).drop).includes('ALL') ? undefined : 'keeps Linux capabilities'));

export const SECCOMP_RUNTIME_DEFAULT = hardeningThreat('seccomp-runtime-default', 'medium', 'A container without the RuntimeDefault seccomp profile',
  'Without seccomp every system call is open.', 'Set `seccompProfile.type: RuntimeDefault`.',
  'A container of the generator\'s output without the `RuntimeDefault` seccomp profile.',
  (sc, podSc) => (asRecord(sc.seccompProfile ?? podSc.seccompProfile).type === 'RuntimeDefault' ? undefined : 'has no RuntimeDefault seccomp profile'));

/** The PriorityClasses that preempt every other pod; no tenant pod may use them. */
export const SYSTEM_PRIORITY_CLASSES: readonly string[] = DEFAULTS.systemPriorityClasses;

export const PRIORITY_PREEMPTION: Threat = {
  id: 'priority-preemption',
  family: 'pods',
  severity: 'high',
  title: 'A tenant pod with a priority that preempts other tenants\' pods',
  why: 'Any namespace may use `system-node-critical` and `system-cluster-critical` (and every other PriorityClass) unless a quota scoped to PriorityClasses says otherwise: a tenant\'s pods then evict other tenants\' pods — and the platform\'s — when nodes are full.',
  fix: 'Let tenants use only the PriorityClasses in `platform.priorityClasses` (none of the system ones); every tenant namespace gets a ResourceQuota of zero pods for any other class. A tenant\'s Traefik (in the platform namespace, where that quota does not reach) may use a listed class only, and never a system one.',
  spec: { fields: ['platform.priorityClasses[]', 'tenants[].traefik.priorityClassName', 'platform.defaults.traefik.priorityClassName'] },
  construct: { props: ['Platform.priorityClasses', 'ScopedTraefik.priorityClassName'] },
  values: [{
    key: 'traefik.priorityClassName',
    schema: (_ceilings, platform) => ({
      type: 'string',
      not: { enum: [...SYSTEM_PRIORITY_CLASSES] },
      ...(platform?.priorityClasses ? { enum: ['', ...platform.priorityClasses] } : {}),
    }),
  }],
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.podSecurity,
      expression: `!has(variables.podSpec.priorityClassName) || !(variables.podSpec.priorityClassName in [${SYSTEM_PRIORITY_CLASSES.map((c) => `'${c}'`).join(', ')}])`,
      message: `pods may not use the ${SYSTEM_PRIORITY_CLASSES.join(' or ')} PriorityClass: they preempt every other pod, other tenants' included.`,
    }],
  },
  audit: {
    scope: 'all',
    looksFor: `A pod or pod template in a tenant namespace with \`priorityClassName\` ${SYSTEM_PRIORITY_CLASSES.map((c) => `\`${c}\``).join(' or ')}.`,
    detect: overPods((run, pod, i) => {
      const name = asString(pod.spec.priorityClassName);
      if (name !== undefined && SYSTEM_PRIORITY_CLASSES.includes(name)) run.report(i, `pods use PriorityClass \`${name}\``, [...pod.path, 'priorityClassName']);
    }),
  },
};

/**
 * PodDisruptionBudget values that allow no disruption, as patterns of the value's text (for CEL's
 * `matches` and JavaScript alike): `maxUnavailable` zero (`0`, `0%`, `00%`), `minAvailable` above
 * 90% (`91%`, `99%`, `100%`, `0100%`, `250%`): Kubernetes rounds a percentage of pods up, so 91%
 * of a workload of up to 11 pods is every pod, and 99% of one under 100. An integer
 * `minAvailable` at or above the replica count blocks drains too, but the budget does not know
 * the replica count.
 */
const BLOCKS_DRAINS = { maxUnavailable: '^0+%?$', minAvailable: '^0*(9[1-9]|[1-9][0-9]{2,})%$' } as const;

export const DISRUPTION_BUDGET_BLOCKS_DRAINS: Threat = {
  id: 'disruption-budget-blocks-drains',
  family: 'pods',
  severity: 'medium',
  title: 'A PodDisruptionBudget that allows no disruption',
  why: 'A PodDisruptionBudget with `maxUnavailable: 0` or `minAvailable: 100%` (or 99%: Kubernetes rounds a percentage of pods up, so it is every pod of a workload under 100) makes every eviction of its pods fail, so no node they run on can be drained: cluster upgrades, node repairs and autoscaling stall for every tenant.',
  fix: 'Allow at least one pod to be evicted at a time (`maxUnavailable: 1`), and run enough replicas to stay available meanwhile.',
  spec: none('tenants write their own PodDisruptionBudgets: no spec field describes them'),
  construct: none('the only PodDisruptionBudget the constructs make (Traefik\'s) allows one unavailable pod'),
  values: none('PodDisruptionBudgets of tenants are not chart values'),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.disruptionBudgets,
      expression: `(!has(object.spec.maxUnavailable) || !string(object.spec.maxUnavailable).matches('${BLOCKS_DRAINS.maxUnavailable}')) && (!has(object.spec.minAvailable) || !string(object.spec.minAvailable).matches('${BLOCKS_DRAINS.minAvailable}'))`,
      message: 'a PodDisruptionBudget must allow a disruption: maxUnavailable 0 (or 0%) and minAvailable above 90% (rounded up, every pod of a small workload) block every drain of the nodes, for every tenant.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A PodDisruptionBudget in a tenant namespace with `maxUnavailable` 0 or `0%` (`00%` too), or `minAvailable` above `90%` (rounded up, that is every pod of a workload of up to 11).',
    detect: (run) => ({
      kinds: ['PodDisruptionBudget'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns)) return;
        const spec = asRecord(o.spec);
        for (const field of ['maxUnavailable', 'minAvailable'] as const) {
          const value = spec[field];
          if (value !== undefined && new RegExp(BLOCKS_DRAINS[field]).test(String(value))) {
            run.report(i, `\`${field}: ${String(value)}\` allows no disruption`, ['spec', field]);
          }
        }
      },
    }),
  },
};

/** Checks an entry of `platform.priorityClasses`: a PriorityClass tenants may use, never a system one. */
export function checkPriorityClass(name: string): string | undefined {
  return SYSTEM_PRIORITY_CLASSES.includes(name)
    ? `\`${name}\` preempts every other pod, other tenants' and the platform's — allow PriorityClasses of your own, e.g. \`tenant-high\``
    : undefined;
}

/**
 * Checks the PriorityClass of a tenant's Traefik: never a system class, and one of
 * `platform.priorityClasses` when the platform lists them (tenant files may be edited by tenants).
 */
export function checkTraefikPriorityClass(name: string, allowed: readonly string[] | undefined): string | undefined {
  if (SYSTEM_PRIORITY_CLASSES.includes(name)) {
    return `\`${name}\` preempts every other pod, other tenants' and the platform's — use a PriorityClass of your own${allowed?.length ? ` from \`platform.priorityClasses\` (${allowed.map((c) => `\`${c}\``).join(', ')})` : ', e.g. `ingress-high`'}`;
  }
  if (allowed !== undefined && !allowed.includes(name)) {
    return `\`${name}\` is not in \`platform.priorityClasses\`${allowed.length > 0 ? ` (${allowed.map((c) => `\`${c}\``).join(', ')})` : ', which lists none'} — use one of them, or add it there`;
  }
  return undefined;
}

/** Taints of control-plane nodes (the current key and the one before Kubernetes 1.24). */
export const CONTROL_PLANE_TAINTS: readonly string[] = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** A toleration, as the spec and a pod spec write it. */
export interface TolerationLike {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** Checks one toleration of a tenant's Traefik: not of a control-plane taint, and not of every taint. */
export function checkToleration(toleration: TolerationLike): string | undefined {
  const key = toleration.key ?? '';
  if (key === '' && toleration.operator === 'Exists') {
    return 'tolerates every taint, the control plane\'s included — name the taint\'s `key` (e.g. `dedicated`)';
  }
  if (CONTROL_PLANE_TAINTS.includes(key)) {
    return `\`${key}\` is the control-plane nodes' taint: a Traefik there, which every tenant steers with its routes, would run beside etcd and the API server's keys — dedicate worker nodes to ingress instead`;
  }
  return undefined;
}

/** Checks a node selector key of a tenant's Traefik: not one that picks control-plane nodes. */
export function checkNodeSelectorKey(key: string): string | undefined {
  return CONTROL_PLANE_TAINTS.includes(key)
    ? `\`${key}\` selects control-plane nodes: a Traefik there, which every tenant steers with its routes, would run beside etcd and the API server's keys — label worker nodes for ingress instead`
    : undefined;
}

/** A toleration in a pod spec that reaches control-plane nodes: its position and what it tolerates. */
function controlPlaneToleration(spec: Record<string, unknown>): { index: number; message: string } | undefined {
  const tolerations = asArray(spec.tolerations);
  for (let k = 0; k < tolerations.length; k++) {
    const t = asRecord(tolerations[k]);
    const message = checkToleration({ key: asString(t.key), operator: asString(t.operator) });
    if (message) return { index: k, message: message.split(' — ')[0] };
  }
  return undefined;
}

export const CONTROL_PLANE_TOLERATION: Threat = {
  id: 'control-plane-toleration',
  family: 'pods',
  severity: 'high',
  title: 'A pod may run on the control-plane nodes',
  why: 'Control-plane nodes hold etcd and the keys of the API server; their taint keeps ordinary pods off them. A tenant\'s Traefik (whose routes and Middlewares a tenant writes) or a tenant\'s pod that tolerates that taint — or every taint — can be scheduled there, one container escape away from the whole cluster.',
  fix: 'Tolerate only the taints of nodes dedicated to the workload (`key: dedicated, value: ingress`); never `node-role.kubernetes.io/control-plane` (or `master`), nor `operator: Exists` without a key; select worker nodes by a label of your own.',
  spec: { fields: ['tenants[].traefik.tolerations[]', 'tenants[].traefik.nodeSelector', 'platform.defaults.traefik.tolerations[]', 'platform.defaults.traefik.nodeSelector'] },
  construct: { props: ['ScopedTraefik.tolerations', 'ScopedTraefik.nodeSelector'] },
  values: [
    {
      key: 'traefik.tolerations',
      schema: () => ({
        not: {
          contains: {
            anyOf: [
              { required: ['key'], properties: { key: { enum: [...CONTROL_PLANE_TAINTS] } } },
              {
                required: ['operator'],
                properties: { operator: { const: 'Exists' } },
                anyOf: [{ not: { required: ['key'] } }, { properties: { key: { const: '' } } }],
              },
            ],
          },
        },
      }),
    },
    { key: 'traefik.nodeSelector', schema: () => ({ not: { anyOf: CONTROL_PLANE_TAINTS.map((key) => ({ required: [key] })) } }) },
  ],
  admission: none('tenant pods are not refused yet — that would change every platform\'s shared admission policies; the audit finds them, and the Traefik\'s tolerations are refused at the spec, the constructs and the chart values'),
  audit: {
    scope: 'all',
    looksFor: `A pod or pod template in a tenant namespace (generator: anywhere) that tolerates ${CONTROL_PLANE_TAINTS.map((t) => `\`${t}\``).join(' or ')}, or every taint (\`operator: Exists\` without a key).`,
    detect: overPods((run, pod, i) => {
      const found = controlPlaneToleration(pod.spec);
      if (found) run.report(i, `pod ${found.message}`, [...pod.path, 'tolerations', found.index]);
    }),
  },
};

export const POD_THREATS: readonly Threat[] = [
  NO_PRIVILEGED, NO_HOST_PATH, NO_HOST_NAMESPACES, RUN_AS_NON_ROOT, PRIORITY_PREEMPTION, CONTROL_PLANE_TOLERATION, DISRUPTION_BUDGET_BLOCKS_DRAINS,
  NO_PRIVILEGE_ESCALATION, DROP_ALL_CAPABILITIES, SECCOMP_RUNTIME_DEFAULT,
];
