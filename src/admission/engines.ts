/**
 * The admission engines, by the `platform.admission` value that picks each. Adding an engine is
 * one file that renders the shared policies, and one line here.
 */
import { AdmissionEngine } from './engine';
import { GATEKEEPER } from './gatekeeper';
import { KYVERNO } from './kyverno';
import { NATIVE } from './native';

export const ADMISSION_ENGINES = {
  native: NATIVE,
  kyverno: KYVERNO,
  gatekeeper: GATEKEEPER,
} as const satisfies Record<string, AdmissionEngine>;

/** How admission guard rails are enforced: by one of the engines, or not at all. */
export type AdmissionMode = keyof typeof ADMISSION_ENGINES | 'none';

/** Every value of `platform.admission`. */
export const ADMISSION_MODES = [...Object.keys(ADMISSION_ENGINES), 'none'] as unknown as [AdmissionMode, ...AdmissionMode[]];

/** The engine of `mode`, or undefined for `none` (and anything that is no mode). */
export function admissionEngine(mode: string): AdmissionEngine | undefined {
  return (ADMISSION_ENGINES as Record<string, AdmissionEngine>)[mode];
}
