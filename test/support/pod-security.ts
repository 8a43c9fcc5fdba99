/**
 * The Pod Security Standards (Kubernetes 1.30, `latest`), as the Pod Security admission controller
 * applies them to a pod or a workload's pod template, for tests: `violations(pod, level)` lists
 * what `baseline` or `restricted` forbids, in the admission controller's own terms.
 * See https://kubernetes.io/docs/concepts/security/pod-security-standards/.
 */

/** Capabilities `baseline` lets a container add. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** Volume types `restricted` allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

export type PodSecurityLevel = 'baseline' | 'restricted';

/** The pod spec of a Pod or of a workload's pod template. */
export function podSpecOf(o: any): any {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  return o.spec?.template?.spec;
}

/** What `level` forbids in the pod spec `spec`; empty when it passes. */
export function violations(spec: any, level: PodSecurityLevel): string[] {
  const found: string[] = [];
  const podSc = spec.securityContext ?? {};
  const containers: any[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  const each = (check: (c: any, sc: any) => string | undefined) => {
    for (const c of containers) {
      const problem = check(c, c.securityContext ?? {});
      if (problem) found.push(`container ${c.name}: ${problem}`);
    }
  };
  // baseline
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field] === true) found.push(`${field}: true`);
  if (podSc.windowsOptions?.hostProcess === true) found.push('hostProcess');
  each((_, sc) => (sc.windowsOptions?.hostProcess === true ? 'hostProcess' : undefined));
  each((_, sc) => (sc.privileged === true ? 'privileged' : undefined));
  each((_, sc) => {
    const added = (sc.capabilities?.add ?? []).filter((cap: string) => !BASELINE_CAPABILITIES.has(cap));
    return added.length > 0 ? `adds capabilities ${added.join(', ')}` : undefined;
  });
  for (const v of spec.volumes ?? []) if (v.hostPath) found.push(`hostPath volume ${v.name}`);
  each((c) => ((c.ports ?? []).some((p: any) => p.hostPort) ? 'hostPort' : undefined));
  for (const sc of [podSc, ...containers.map((c) => c.securityContext ?? {})]) {
    const se = sc.seLinuxOptions;
    if (se && (!SELINUX_TYPES.has(se.type ?? '') || se.user || se.role)) found.push('seLinuxOptions');
    if (sc.seccompProfile?.type === 'Unconfined') found.push('seccompProfile Unconfined');
    if (sc.appArmorProfile?.type === 'Unconfined') found.push('appArmorProfile Unconfined');
  }
  each((_, sc) => (sc.procMount !== undefined && sc.procMount !== 'Default' ? `procMount ${sc.procMount}` : undefined));
  for (const s of podSc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) found.push(`sysctl ${s.name}`);
  if (level === 'baseline') return found;
  // restricted
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) found.push(`volume ${v.name} of type ${type}`);
  }
  each((_, sc) => (sc.allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not false'));
  if (podSc.runAsNonRoot === false) found.push('pod runAsNonRoot: false');
  each((_, sc) => ((sc.runAsNonRoot ?? podSc.runAsNonRoot) === true ? undefined : 'runAsNonRoot is not true'));
  if (podSc.runAsUser === 0) found.push('pod runAsUser: 0');
  each((_, sc) => (sc.runAsUser === 0 ? 'runAsUser: 0' : undefined));
  each((_, sc) => (['RuntimeDefault', 'Localhost'].includes((sc.seccompProfile ?? podSc.seccompProfile)?.type) ? undefined : 'no RuntimeDefault or Localhost seccomp profile'));
  each((_, sc) => ((sc.capabilities?.drop ?? []).includes('ALL') ? undefined : 'does not drop ALL capabilities'));
  each((_, sc) => {
    const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    return added.length > 0 ? `adds capabilities ${added.join(', ')}` : undefined;
  });
  return found;
}
