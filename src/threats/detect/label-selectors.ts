/**
 * Kubernetes label selectors as objects (`matchLabels`, `matchExpressions`), judged against the
 * labels of an object: for reading which namespaces a NetworkPolicy peer lets in.
 */
import { asArray, asRecord, asString, asStringMap, asStrings } from './values';

/**
 * Whether `selector` selects an object with `labels`, as the API server decides: every
 * `matchLabels` pair equal, and every expression true (`In`, `NotIn`, `Exists`, `DoesNotExist`).
 * An expression with another operator is taken to match, so that a doubt counts as selected.
 */
export function labelSelectorSelects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = asRecord(selector);
  const pairs = Object.entries(asStringMap(s.matchLabels));
  if (!pairs.every(([key, value]) => labels[key] === value)) return false;
  return asArray(s.matchExpressions).map(asRecord).every((e) => {
    const key = asString(e.key) ?? '';
    const values = asStrings(e.values);
    switch (asString(e.operator)) {
      case 'In': return labels[key] !== undefined && values.includes(labels[key]);
      case 'NotIn': return labels[key] === undefined || !values.includes(labels[key]);
      case 'Exists': return labels[key] !== undefined;
      case 'DoesNotExist': return labels[key] === undefined;
      default: return true;
    }
  });
}
