import { jsonSchemaText, specJsonSchema, tenantJsonSchema } from '../spec/json-schema';
import { parseFlags, UsageError } from './usage';

/** `tenancy schema [--tenant]`: prints the JSON Schema of a spec, or of one tenant file. */
export function runSchema(argv: string[], print: (text: string) => void): number {
  const { values, positionals } = parseFlags('schema', { args: argv, options: { tenant: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\` — \`schema\` prints to standard output; redirect it to a file`);
  print(jsonSchemaText(values.tenant ? tenantJsonSchema() : specJsonSchema()));
  return 0;
}
