/**
 * Which settings of a tenant Traefik's Service go with which Service type. Kubernetes refuses a
 * load balancer class or source ranges on a Service that is not a LoadBalancer, and an external
 * traffic policy or node ports on a ClusterIP Service; the spec and the constructs say so first,
 * in the same words, before anything is applied.
 */

/** Service types of a tenant's Traefik. */
export const TRAEFIK_SERVICE_TYPES = ['LoadBalancer', 'ClusterIP', 'NodePort'] as const;
export type TraefikServiceTypeName = (typeof TRAEFIK_SERVICE_TYPES)[number];

/** The Service settings that only some Service types take, and which. */
export const SERVICE_SETTING_TYPES = {
  loadBalancerClass: ['LoadBalancer'],
  loadBalancerSourceRanges: ['LoadBalancer'],
  externalTrafficPolicy: ['LoadBalancer', 'NodePort'],
  nodePorts: ['LoadBalancer', 'NodePort'],
} as const satisfies Record<string, readonly TraefikServiceTypeName[]>;

export type TypedServiceSetting = keyof typeof SERVICE_SETTING_TYPES;

/**
 * Checks that `setting` goes with `serviceType`; `typeFrom` says where the type came from when
 * the tenant did not write it (`platform.defaults`, the built-in default).
 */
export function checkServiceSetting(setting: TypedServiceSetting, serviceType: string, typeFrom?: string): string | undefined {
  const types: readonly string[] = SERVICE_SETTING_TYPES[setting];
  if (types.includes(serviceType)) return undefined;
  const wanted = types.map((t) => `\`${t}\``).join(' or ');
  return `\`${setting}\` applies to ${types.join(' and ')} Services only, and this Traefik's is ${serviceType}${typeFrom ? ` (from ${typeFrom})` : ''} — remove it, or set \`serviceType\` to ${wanted}`;
}
