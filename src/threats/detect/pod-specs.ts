/** Finding the pod spec inside any object that makes pods, and where it sits. */
import { asRecord, FieldPath } from './values';

/** Kinds that make pods, and the path of their pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, FieldPath>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Every kind `podSpecAt` reads. */
export const POD_MAKING_KINDS = Object.keys(POD_SPEC_PATHS);

/** The pod spec of an object that makes pods, and its path; undefined for other kinds. */
export function podSpecAt(o: { kind: string; [k: string]: unknown }): { spec: Record<string, unknown>; path: FieldPath } | undefined {
  const path = POD_SPEC_PATHS[o.kind];
  if (!path) return undefined;
  let node: unknown = o;
  for (const key of path) node = asRecord(node)[key as string];
  return { spec: asRecord(node), path };
}
