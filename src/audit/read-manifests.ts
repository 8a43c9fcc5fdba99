/**
 * Reads Kubernetes manifests of any origin — files, folders, multi-document YAML, `kind: List`
 * exports (`kubectl get -A -o yaml`), JSON, Helm chart folders — keeping for every object, and
 * every field in it, the file, line and column it came from. Documents that are not Kubernetes
 * objects are skipped and reported, never fatal: a GitOps repository holds kustomizations and
 * values files. The templates of a chart folder (one with a `Chart.yaml`) are rendered with the
 * chart's values.yaml first (see helm-template.ts); a template that cannot be rendered, and a
 * packaged chart (`.tgz`), are listed as not audited, with the reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments, parseDocument } from 'yaml';
import { KubeObjectLike } from '../threats/detect/engine';
import { asArray, asRecord, FieldPath } from '../threats/detect/values';
import { VALUES_FILE_API_VERSION, VALUES_FILE_KIND, VCLUSTER_VALUES_KEYS } from '../threats/detect/vcluster-installs';
import { renderHelmTemplate, UnsupportedTemplate } from './helm-template';

/** Aliases one document may expand; YAML "billion laughs" bombs exceed it at once. */
export const MAX_ALIAS_COUNT = 1000;

/** A place in a file, 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** An object read from a manifest, and where its fields are. */
export interface ManifestObject {
  readonly object: KubeObjectLike;
  /** Where the object starts. */
  readonly source: SourceLocation;
  /** Where the field at `fieldPath` is; the nearest existing parent when the field is absent. */
  locate(fieldPath: FieldPath): SourceLocation;
}

/** A document left out, and why. */
export interface SkippedDocument extends SourceLocation {
  readonly reason: string;
  /** Not read at all (not valid YAML, or a file that cannot be read), rather than read and found to be no Kubernetes object. */
  readonly unreadable?: boolean;
}

/** A file that holds manifests the audit could not read, and why (a template it cannot render, a chart archive). */
export interface NotAudited {
  readonly file: string;
  readonly reason: string;
}

export interface ManifestSet {
  readonly objects: ManifestObject[];
  readonly skipped: SkippedDocument[];
  /** Every file read, in reading order. */
  readonly files: string[];
  /** Files whose manifests were not read at all. */
  readonly notAudited?: NotAudited[];
  /** Helm chart folders whose templates were rendered (with their values.yaml) and audited. */
  readonly charts?: string[];
  /** Chart archives left out because they hold exactly a chart folder beside them, which was audited. */
  readonly packaged?: string[];
}

/** Thrown for a path that cannot be read at all (a usage mistake, not a finding). */
export class ManifestPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestPathError';
  }
}

const YAML_FILE = /\.ya?ml$/i;
/** Folders never descended into. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * Reads every path: a file is read whatever its extension; a folder is walked recursively for
 * `.yaml`/`.yml` files, in name order, skipping hidden folders and `node_modules`. `-` reads
 * `stdin` (the text is passed in, so callers decide how to read standard input).
 */
export function readManifests(paths: readonly string[], stdin?: () => string): Required<ManifestSet> {
  const set: Required<ManifestSet> = { objects: [], skipped: [], files: [], notAudited: [], charts: [], packaged: [] };
  const charts = new ChartIndex();
  for (const p of paths) {
    if (p === '-') {
      if (!stdin) throw new ManifestPathError('`-` (standard input) is not available here — pass files or folders');
      addText(set, '<stdin>', stdin());
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ManifestPathError(`cannot read \`${p}\` (${code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}) — check the path`);
    }
    for (const file of stat.isDirectory() ? walk(p, new Set()) : [p]) {
      if (ARCHIVE_FILE.test(file)) {
        // `synth --format helm` writes each chart twice, as a folder and packaged: the folder is audited.
        if (siblingCharts(path.dirname(file)).some((dir) => archiveMatchesFolder(file, dir))) {
          set.packaged.push(file);
          continue;
        }
        set.notAudited.push({ file, reason: 'a packaged Helm chart: audit its folder, or what `helm template` renders of it (`helm template NAME CHART | tenancy audit -`)' });
        continue;
      }
      const chart = charts.chartOf(file);
      // A chart's own files (Chart.yaml, values.yaml) are not manifests; its templates are, once rendered.
      if (chart && chart.role === 'chart-file') continue;
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        set.files.push(file);
        set.skipped.push({ file, line: 1, col: 1, reason: `cannot read the file (${(err as Error).message})`, unreadable: true });
        continue;
      }
      if (chart) {
        try {
          text = renderHelmTemplate(text, chart.values());
        } catch (err) {
          if (!(err instanceof UnsupportedTemplate)) throw err;
          set.notAudited.push({ file, reason: `a Helm template this audit cannot render: ${err.message} — audit what \`helm template\` renders of the chart instead (\`helm template NAME ${chart.root} | tenancy audit -\`)` });
          continue;
        }
        if (!set.charts.includes(chart.root)) set.charts.push(chart.root);
      }
      addText(set, file, text);
    }
  }
  return set;
}

const ARCHIVE_FILE = /\.tgz$/i;

/** The chart folders directly inside `dir`. */
function siblingCharts(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'Chart.yaml')))
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * True when the archive holds exactly the files of `folder` (under a top folder of its name),
 * byte for byte. Reads gzip'd ustar archives with regular files only, as Helm and `synth` write
 * them; anything else answers false.
 */
export function archiveMatchesFolder(archive: string, folder: string): boolean {
  let tar: Buffer;
  try {
    tar = gunzipSync(fs.readFileSync(archive));
  } catch {
    return false;
  }
  const prefix = `${path.basename(folder)}/`;
  const inArchive = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/');
    if (!Number.isSafeInteger(size) || (type !== '0' && type !== '') || !name.startsWith(prefix)) return false;
    inArchive.set(name.slice(prefix.length), tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  const inFolder = listFiles(folder);
  return inFolder.length === inArchive.size && inFolder.every((rel) => inArchive.get(rel)?.equals(fs.readFileSync(path.join(folder, rel))) === true);
}

/** Every file under `dir`, relative, `/`-separated. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

/** Where a file sits in a Helm chart, if it does: a template to render, or one of the chart's own files. */
interface ChartPlace {
  readonly root: string;
  readonly role: 'template' | 'chart-file';
  /** The chart's values.yaml as data (read once per chart); throws UnsupportedTemplate when it cannot be read. */
  values(): unknown;
}

/** Finds the chart of a file by its folders (a folder with a `Chart.yaml`), remembering each folder's answer. */
class ChartIndex {
  private readonly roots = new Map<string, boolean>();
  private readonly values = new Map<string, () => unknown>();

  chartOf(file: string): ChartPlace | undefined {
    const dir = path.dirname(file);
    if (this.isChart(dir)) return this.place(dir, 'chart-file');
    // A template: anywhere under <chart>/templates/, partials (`_*`) aside.
    let child = dir;
    for (let parent = path.dirname(child); parent !== child; child = parent, parent = path.dirname(parent)) {
      if (path.basename(child) === 'templates' && this.isChart(parent)) {
        return path.basename(file).startsWith('_') ? this.place(parent, 'chart-file') : this.place(parent, 'template');
      }
    }
    return undefined;
  }

  private isChart(dir: string): boolean {
    let known = this.roots.get(dir);
    if (known === undefined) {
      known = fs.statSync(path.join(dir, 'Chart.yaml'), { throwIfNoEntry: false })?.isFile() === true;
      this.roots.set(dir, known);
    }
    return known;
  }

  private place(root: string, role: ChartPlace['role']): ChartPlace {
    let values = this.values.get(root);
    if (!values) {
      let data: unknown;
      let error: string | undefined;
      try {
        const file = path.join(root, 'values.yaml');
        const doc = fs.existsSync(file) ? parseDocument(fs.readFileSync(file, 'utf8'), { logLevel: 'error', prettyErrors: false }) : undefined;
        if (doc && doc.errors.length > 0) error = `its values.yaml is not valid YAML (${doc.errors[0].message.split('\n')[0]})`;
        else data = doc?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
      } catch (err) {
        error = `its values.yaml cannot be read (${(err as Error).message})`;
      }
      values = () => {
        if (error !== undefined) throw new UnsupportedTemplate(error);
        return data;
      };
      this.values.set(root, values);
    }
    return { root, role, values };
  }
}

function addText(set: ManifestSet, file: string, text: string): void {
  set.files.push(file);
  const parsed = parseManifests(file, text);
  // One push per item: spreading a 200,000-item List into push() overflows the call stack.
  for (const o of parsed.objects) set.objects.push(o);
  for (const s of parsed.skipped) set.skipped.push(s);
}

/** YAML files under `dir`, depth first in name order; symbolic-link loops are followed once. */
function walk(dir: string, seen: Set<string>): string[] {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return [];
  }
  if (seen.has(real)) return [];
  seen.add(real);
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = fs.statSync(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue;
      }
    }
    if (isDir && !entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) for (const f of walk(full, seen)) files.push(f);
    else if (isFile && (YAML_FILE.test(entry.name) || ARCHIVE_FILE.test(entry.name))) files.push(full);
  }
  return files;
}

/** Parses the text of one file into objects (a `List` gives its items) and skipped documents. */
export function parseManifests(file: string, text: string): { objects: ManifestObject[]; skipped: SkippedDocument[] } {
  const lineCounter = new LineCounter();
  // logLevel `error`: the parser would print warnings (a collection as a key, say) on the process's stderr.
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const docs = Array.isArray(parsed) ? parsed : [];
  const objects: ManifestObject[] = [];
  const skipped: SkippedDocument[] = [];
  const at = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, col: pos.col };
  };
  for (const doc of docs) {
    const start = at(doc.contents?.range?.[0] ?? doc.range?.[0]);
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      skipped.push({ ...at(e.pos[0]), reason: `not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, unreadable: true });
      continue;
    }
    // An empty document: comments only, or what follows a trailing `---`.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      skipped.push({ ...start, reason: (err as Error).message });
      continue;
    }
    const record = asRecord(data);
    if (typeof record.kind === 'string' && /List$/.test(record.kind) && Array.isArray(record.items)) {
      const itemsNode = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      asArray(record.items).forEach((item, k) => {
        const node = isSeq(itemsNode) ? (itemsNode.items[k] as Node | undefined) : undefined;
        accept(item, node, `item ${k} of the ${record.kind}`);
      });
      continue;
    }
    accept(data, doc.contents as Node, 'the document');
  }
  return { objects, skipped };

  function accept(data: unknown, node: Node | undefined, what: string): void {
    const location = at(node?.range?.[0]);
    const reason = notAnObject(data);
    if (reason && isVclusterValuesFile(data)) {
      // A values file of the vcluster chart (`vcluster create --values`): judged as one install's values.
      objects.push({
        object: { apiVersion: VALUES_FILE_API_VERSION, kind: VALUES_FILE_KIND, metadata: { name: path.basename(file) }, values: data },
        source: location,
        locate: (fieldPath) => at(offsetOf(node, fieldPath[0] === 'values' ? fieldPath.slice(1) : [])),
      });
      return;
    }
    if (reason) {
      skipped.push({ ...location, reason: `${what} is not a Kubernetes object: ${reason}` });
      return;
    }
    objects.push({
      object: data as KubeObjectLike,
      source: location,
      locate: (fieldPath) => at(offsetOf(node, fieldPath)),
    });
  }
}

/** Whether a document that is no Kubernetes object is a values file of the vcluster chart: a mapping of its top-level keys only. */
function isVclusterValuesFile(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  return keys.length > 0 && keys.every((k) => VCLUSTER_VALUES_KEYS.has(k));
}

/** Why a value is not a Kubernetes object, or undefined when it is one. */
function notAnObject(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return `it is ${Array.isArray(data) ? 'a list' : data === null ? 'empty' : `a ${typeof data}`}, not a mapping`;
  const o = data as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return 'it has no `apiVersion` and `kind`';
  if (typeof asRecord(o.metadata).name !== 'string') return 'it has no `metadata.name`';
  return undefined;
}

/** Offset of the node at `fieldPath` (of the key, for a map entry); the deepest existing parent otherwise. */
function offsetOf(root: Node | undefined, fieldPath: FieldPath): number | undefined {
  let node: unknown = root;
  let offset = rangeStart(root);
  for (const key of fieldPath) {
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
      if (pair && isPair(pair)) {
        next = pair.value;
        keyOffset = rangeStart(pair.key);
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined && keyOffset === undefined) break;
    offset = keyOffset ?? rangeStart(next) ?? offset;
    node = next;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}
