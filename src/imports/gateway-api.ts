// Written by hand in the shape `cdk8s import` gives, from ../shared/crds/gateway-api (Standard
// channel v1.5.1): the Gateway, GatewayClass and ReferenceGrant fields this tool emits, no more.
// `cdk8s import` needs the npm registry for cdk8s-cli (not available where this was written);
// scripts/import-crds.sh lists these CRDs and writes the complete generated classes beside this
// file (gateway-api-gateway.ts, -gatewayclass.ts, -referencegrant.ts: the same class and prop
// names), after which the constructs' imports point there and this file goes. Tests validate
// every emitted object against the CRDs themselves, with no unknown fields.
import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import { Construct } from 'constructs';

/** Drops the undefined fields of a JSON object, as the generated `toJson_` functions do. */
function definedOnly(obj: Record<string, any>): Record<string, any> {
  return Object.entries(obj).reduce((r, [k, v]) => (v === undefined ? r : ({ ...r, [k]: v })), {});
}

/**
 * Gateway represents an instance of a service-traffic handling infrastructure by binding
 * Listeners to a set of IP addresses.
 *
 * @schema Gateway
 */
export class Gateway extends ApiObject {
  /** Returns the apiVersion and kind for "Gateway" */
  public static readonly GVK: GroupVersionKind = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
  };

  /** Renders a Kubernetes manifest for "Gateway". */
  public static manifest(props: GatewayProps): any {
    return { ...Gateway.GVK, ...toJson_GatewayProps(props) };
  }

  /** Defines a "Gateway" API object */
  public constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id, { ...Gateway.GVK, ...props });
  }

  /** Renders the object to Kubernetes JSON. */
  public override toJson(): any {
    const resolved = super.toJson();
    return { ...Gateway.GVK, ...toJson_GatewayProps(resolved) };
  }
}

/** @schema Gateway */
export interface GatewayProps {
  /** @schema Gateway#metadata */
  readonly metadata?: ApiObjectMetadata;
  /** Spec defines the desired state of Gateway. @schema Gateway#spec */
  readonly spec: GatewaySpec;
}

export function toJson_GatewayProps(obj: GatewayProps | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ metadata: obj.metadata, spec: toJson_GatewaySpec(obj.spec) });
}

/** @schema GatewaySpec */
export interface GatewaySpec {
  /** GatewayClassName used for this Gateway. @schema GatewaySpec#gatewayClassName */
  readonly gatewayClassName: string;
  /** Listeners associated with this Gateway (at most 64). @schema GatewaySpec#listeners */
  readonly listeners: GatewaySpecListeners[];
}

export function toJson_GatewaySpec(obj: GatewaySpec | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ gatewayClassName: obj.gatewayClassName, listeners: obj.listeners?.map((y) => toJson_GatewaySpecListeners(y)) });
}

/** @schema GatewaySpecListeners */
export interface GatewaySpecListeners {
  /** Name of the Listener, unique within the Gateway. @schema GatewaySpecListeners#name */
  readonly name: string;
  /** Hostname the Listener accepts requests for. @schema GatewaySpecListeners#hostname */
  readonly hostname?: string;
  /** Network port. @schema GatewaySpecListeners#port */
  readonly port: number;
  /** Network protocol this listener expects to receive. @schema GatewaySpecListeners#protocol */
  readonly protocol: string;
  /** TLS configuration for the Listener. @schema GatewaySpecListeners#tls */
  readonly tls?: GatewaySpecListenersTls;
  /** Types of routes that may be attached to the Listener, and the namespaces they may come from. @schema GatewaySpecListeners#allowedRoutes */
  readonly allowedRoutes?: GatewaySpecListenersAllowedRoutes;
}

export function toJson_GatewaySpecListeners(obj: GatewaySpecListeners | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({
    name: obj.name,
    hostname: obj.hostname,
    port: obj.port,
    protocol: obj.protocol,
    tls: toJson_GatewaySpecListenersTls(obj.tls),
    allowedRoutes: toJson_GatewaySpecListenersAllowedRoutes(obj.allowedRoutes),
  });
}

/** @schema GatewaySpecListenersTls */
export interface GatewaySpecListenersTls {
  /** TLS behavior for the TLS session initiated by the client. @schema GatewaySpecListenersTls#mode */
  readonly mode?: GatewaySpecListenersTlsMode;
  /** TLS certificates and private keys to terminate TLS with. @schema GatewaySpecListenersTls#certificateRefs */
  readonly certificateRefs?: GatewaySpecListenersTlsCertificateRefs[];
}

export function toJson_GatewaySpecListenersTls(obj: GatewaySpecListenersTls | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ mode: obj.mode, certificateRefs: obj.certificateRefs?.map((y) => toJson_GatewaySpecListenersTlsCertificateRefs(y)) });
}

/** @schema GatewaySpecListenersTlsMode */
export enum GatewaySpecListenersTlsMode {
  /** Terminate */
  TERMINATE = 'Terminate',
  /** Passthrough */
  PASSTHROUGH = 'Passthrough',
}

/** @schema GatewaySpecListenersTlsCertificateRefs */
export interface GatewaySpecListenersTlsCertificateRefs {
  /** Group of the referent; "" for the core API group. @schema GatewaySpecListenersTlsCertificateRefs#group */
  readonly group?: string;
  /** Kind of the referent. @schema GatewaySpecListenersTlsCertificateRefs#kind */
  readonly kind?: string;
  /** Name of the referent. @schema GatewaySpecListenersTlsCertificateRefs#name */
  readonly name: string;
  /** Namespace of the referent; another namespace needs a ReferenceGrant there. @schema GatewaySpecListenersTlsCertificateRefs#namespace */
  readonly namespace?: string;
}

export function toJson_GatewaySpecListenersTlsCertificateRefs(obj: GatewaySpecListenersTlsCertificateRefs | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ group: obj.group, kind: obj.kind, name: obj.name, namespace: obj.namespace });
}

/** @schema GatewaySpecListenersAllowedRoutes */
export interface GatewaySpecListenersAllowedRoutes {
  /** Namespaces from which Routes may be attached to this Listener. @schema GatewaySpecListenersAllowedRoutes#namespaces */
  readonly namespaces?: GatewaySpecListenersAllowedRoutesNamespaces;
  /** Groups and kinds of Routes that may attach to this Listener. @schema GatewaySpecListenersAllowedRoutes#kinds */
  readonly kinds?: GatewaySpecListenersAllowedRoutesKinds[];
}

export function toJson_GatewaySpecListenersAllowedRoutes(obj: GatewaySpecListenersAllowedRoutes | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({
    namespaces: toJson_GatewaySpecListenersAllowedRoutesNamespaces(obj.namespaces),
    kinds: obj.kinds?.map((y) => toJson_GatewaySpecListenersAllowedRoutesKinds(y)),
  });
}

/** @schema GatewaySpecListenersAllowedRoutesNamespaces */
export interface GatewaySpecListenersAllowedRoutesNamespaces {
  /** Where Routes for this Listener may come from: All, Selector or Same. @schema GatewaySpecListenersAllowedRoutesNamespaces#from */
  readonly from?: GatewaySpecListenersAllowedRoutesNamespacesFrom;
  /** The namespaces that may attach Routes, when `from` is Selector. @schema GatewaySpecListenersAllowedRoutesNamespaces#selector */
  readonly selector?: GatewaySpecListenersAllowedRoutesNamespacesSelector;
}

export function toJson_GatewaySpecListenersAllowedRoutesNamespaces(obj: GatewaySpecListenersAllowedRoutesNamespaces | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ from: obj.from, selector: toJson_GatewaySpecListenersAllowedRoutesNamespacesSelector(obj.selector) });
}

/** @schema GatewaySpecListenersAllowedRoutesNamespacesFrom */
export enum GatewaySpecListenersAllowedRoutesNamespacesFrom {
  /** All */
  ALL = 'All',
  /** Selector */
  SELECTOR = 'Selector',
  /** Same */
  SAME = 'Same',
  /** None */
  NONE = 'None',
}

/** @schema GatewaySpecListenersAllowedRoutesNamespacesSelector */
export interface GatewaySpecListenersAllowedRoutesNamespacesSelector {
  /** @schema GatewaySpecListenersAllowedRoutesNamespacesSelector#matchLabels */
  readonly matchLabels?: { [key: string]: string };
}

export function toJson_GatewaySpecListenersAllowedRoutesNamespacesSelector(obj: GatewaySpecListenersAllowedRoutesNamespacesSelector | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ matchLabels: obj.matchLabels === undefined ? undefined : { ...obj.matchLabels } });
}

/** @schema GatewaySpecListenersAllowedRoutesKinds */
export interface GatewaySpecListenersAllowedRoutesKinds {
  /** Group of the Route. @schema GatewaySpecListenersAllowedRoutesKinds#group */
  readonly group?: string;
  /** Kind of the Route. @schema GatewaySpecListenersAllowedRoutesKinds#kind */
  readonly kind: string;
}

export function toJson_GatewaySpecListenersAllowedRoutesKinds(obj: GatewaySpecListenersAllowedRoutesKinds | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ group: obj.group, kind: obj.kind });
}

/**
 * GatewayClass describes a class of Gateways available to the user for creating Gateway resources.
 *
 * @schema GatewayClass
 */
export class GatewayClass extends ApiObject {
  /** Returns the apiVersion and kind for "GatewayClass" */
  public static readonly GVK: GroupVersionKind = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
  };

  /** Renders a Kubernetes manifest for "GatewayClass". */
  public static manifest(props: GatewayClassProps): any {
    return { ...GatewayClass.GVK, ...toJson_GatewayClassProps(props) };
  }

  /** Defines a "GatewayClass" API object */
  public constructor(scope: Construct, id: string, props: GatewayClassProps) {
    super(scope, id, { ...GatewayClass.GVK, ...props });
  }

  /** Renders the object to Kubernetes JSON. */
  public override toJson(): any {
    const resolved = super.toJson();
    return { ...GatewayClass.GVK, ...toJson_GatewayClassProps(resolved) };
  }
}

/** @schema GatewayClass */
export interface GatewayClassProps {
  /** @schema GatewayClass#metadata */
  readonly metadata?: ApiObjectMetadata;
  /** Spec defines the desired state of GatewayClass. @schema GatewayClass#spec */
  readonly spec: GatewayClassSpec;
}

export function toJson_GatewayClassProps(obj: GatewayClassProps | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ metadata: obj.metadata, spec: toJson_GatewayClassSpec(obj.spec) });
}

/** @schema GatewayClassSpec */
export interface GatewayClassSpec {
  /** The controller that manages Gateways of this class. @schema GatewayClassSpec#controllerName */
  readonly controllerName: string;
  /** Describes this GatewayClass (at most 64 characters). @schema GatewayClassSpec#description */
  readonly description?: string;
}

export function toJson_GatewayClassSpec(obj: GatewayClassSpec | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ controllerName: obj.controllerName, description: obj.description });
}

/**
 * ReferenceGrant identifies kinds of resources in other namespaces that are trusted to
 * reference the specified kinds of resources in the same namespace as the policy.
 *
 * @schema ReferenceGrant
 */
export class ReferenceGrant extends ApiObject {
  /** Returns the apiVersion and kind for "ReferenceGrant" */
  public static readonly GVK: GroupVersionKind = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ReferenceGrant',
  };

  /** Renders a Kubernetes manifest for "ReferenceGrant". */
  public static manifest(props: ReferenceGrantProps): any {
    return { ...ReferenceGrant.GVK, ...toJson_ReferenceGrantProps(props) };
  }

  /** Defines a "ReferenceGrant" API object */
  public constructor(scope: Construct, id: string, props: ReferenceGrantProps) {
    super(scope, id, { ...ReferenceGrant.GVK, ...props });
  }

  /** Renders the object to Kubernetes JSON. */
  public override toJson(): any {
    const resolved = super.toJson();
    return { ...ReferenceGrant.GVK, ...toJson_ReferenceGrantProps(resolved) };
  }
}

/** @schema ReferenceGrant */
export interface ReferenceGrantProps {
  /** @schema ReferenceGrant#metadata */
  readonly metadata?: ApiObjectMetadata;
  /** Spec defines the desired state of ReferenceGrant. @schema ReferenceGrant#spec */
  readonly spec?: ReferenceGrantSpec;
}

export function toJson_ReferenceGrantProps(obj: ReferenceGrantProps | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ metadata: obj.metadata, spec: toJson_ReferenceGrantSpec(obj.spec) });
}

/** @schema ReferenceGrantSpec */
export interface ReferenceGrantSpec {
  /** The trusted namespaces and kinds that may reference the resources in `to`. @schema ReferenceGrantSpec#from */
  readonly from: ReferenceGrantSpecFrom[];
  /** The resources that may be referenced by the resources in `from`. @schema ReferenceGrantSpec#to */
  readonly to: ReferenceGrantSpecTo[];
}

export function toJson_ReferenceGrantSpec(obj: ReferenceGrantSpec | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ from: obj.from?.map((y) => toJson_ReferenceGrantSpecFrom(y)), to: obj.to?.map((y) => toJson_ReferenceGrantSpecTo(y)) });
}

/** @schema ReferenceGrantSpecFrom */
export interface ReferenceGrantSpecFrom {
  /** Group of the referent. @schema ReferenceGrantSpecFrom#group */
  readonly group: string;
  /** Kind of the referent. @schema ReferenceGrantSpecFrom#kind */
  readonly kind: string;
  /** Namespace of the referent. @schema ReferenceGrantSpecFrom#namespace */
  readonly namespace: string;
}

export function toJson_ReferenceGrantSpecFrom(obj: ReferenceGrantSpecFrom | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ group: obj.group, kind: obj.kind, namespace: obj.namespace });
}

/** @schema ReferenceGrantSpecTo */
export interface ReferenceGrantSpecTo {
  /** Group of the referent; "" for the core API group. @schema ReferenceGrantSpecTo#group */
  readonly group: string;
  /** Kind of the referent. @schema ReferenceGrantSpecTo#kind */
  readonly kind: string;
  /** Name of the referent; without it, every object of the kind. @schema ReferenceGrantSpecTo#name */
  readonly name?: string;
}

export function toJson_ReferenceGrantSpecTo(obj: ReferenceGrantSpecTo | undefined): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  return definedOnly({ group: obj.group, kind: obj.kind, name: obj.name });
}
