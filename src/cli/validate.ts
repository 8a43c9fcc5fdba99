import { resolveTenancy } from '../model/tenancy-model';
import { readSpec } from '../spec/read-spec';
import { configFlag } from './synth';
import { parseFlags, UsageError } from './usage';

/** `tenancy validate [--config FILE]`: checks the spec, writes nothing. */
export function runValidate(argv: string[], print: (text: string) => void): number {
  const { values, positionals } = parseFlags('validate', { args: argv, options: { config: { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\` — pass the spec with --config FILE`);
  const config = configFlag(values.config);
  const { spec, files } = readSpec(config);
  // A fleet's clusters, each cluster tenant's own included (as synth counts them).
  const fleet = resolveTenancy(spec).fleet;
  const clusters = fleet ? ` on ${count(fleet.clusters.length, 'cluster')}` : '';
  print(`${config}: valid (${count(spec.tenants?.length ?? 0, 'tenant')}${clusters}, ${count(files.length, 'file')} read).\n`);
  return 0;
}

/** `1 tenant`, `2 tenants`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
