/**
 * Test helper: runs ../shared/tools/chart-render (lints a chart like `helm lint`, renders it
 * like `helm template`), building it first when the binary is missing. A chart test fails,
 * never skips, when the tool can be neither found nor built.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const TOOL_DIR = path.resolve(__dirname, '../../../shared/tools/chart-render');
export const CHART_RENDER = path.join(TOOL_DIR, 'bin/chart-render');

let checked = false;

/** Path of the chart-render binary; builds it with its `build` script when absent. */
export function chartRenderBinary(): string {
  if (checked) return CHART_RENDER;
  if (!fs.existsSync(CHART_RENDER)) {
    const build = path.join(TOOL_DIR, 'build');
    const result = spawnSync('bash', [build], { encoding: 'utf8', timeout: 600_000 });
    if (result.status !== 0 || !fs.existsSync(CHART_RENDER)) {
      throw new Error(`chart-render is missing at ${CHART_RENDER} and \`${build}\` could not build it (status ${result.status}):\n${result.stderr}${result.error ?? ''}`);
    }
  }
  checked = true;
  return CHART_RENDER;
}

export interface Rendered {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The rendered documents, in order, as plain data (empty documents left out). */
  readonly objects: any[];
}

export interface RenderOptions {
  /** YAML text passed with `-f`: merged over the chart's values and, like `helm install -f`, checked against `values.schema.json`. */
  readonly values?: string;
  /** Render without checking the merged values against `values.schema.json` (Helm's `--skip-schema-validation`). */
  readonly skipSchemaValidation?: boolean;
  readonly release?: string;
  /** The release's namespace (`.Release.Namespace`). */
  readonly namespace?: string;
}

/** Renders a chart (folder or .tgz) as `helm template` would. */
export function chartRender(chart: string, options: RenderOptions = {}): Rendered {
  const args: string[] = [];
  let valuesDir: string | undefined;
  if (options.values !== undefined) {
    valuesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-values-'));
    const file = path.join(valuesDir, 'values.yaml');
    fs.writeFileSync(file, options.values);
    args.push('-f', file);
    if (options.skipSchemaValidation) args.push('--skip-schema-validation');
  }
  if (options.release) args.push('--release', options.release);
  if (options.namespace) args.push('--namespace', options.namespace);
  try {
    const result = spawnSync(chartRenderBinary(), [...args, chart], { encoding: 'utf8' });
    const objects = result.status === 0
      ? parseAllDocuments(result.stdout).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined)
      : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, objects };
  } finally {
    if (valuesDir) fs.rmSync(valuesDir, { recursive: true, force: true });
  }
}

/** Writes `files` (relative path → content) under `dir`. */
export function writeFiles(dir: string, files: ReadonlyMap<string, string | Buffer>): void {
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}
