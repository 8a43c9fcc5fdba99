/** The README's API section documents every construct the package exports, and every prop of each. */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO } from '../helpers';

/** Exported classes that extend Construct, with the props their constructor takes (read with the compiler). */
function exportedConstructs(): Map<string, string[]> {
  const index = path.join(REPO, 'src/index.ts');
  const program = ts.createProgram([index], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true, esModuleInterop: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  const constructs = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.find(ts.isClassDeclaration);
    if (!declaration || !isConstruct(checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType, checker)) continue;
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    const propsParameter = constructor?.parameters[2];
    const props = propsParameter ? checker.getTypeAtLocation(propsParameter).getProperties().map((p) => p.getName()) : [];
    constructs.set(symbol.getName(), props);
  }
  return constructs;
}

function isConstruct(type: ts.InterfaceType, checker: ts.TypeChecker): boolean {
  for (const base of checker.getBaseTypes(type)) {
    if (base.getSymbol()?.getName() === 'Construct' || isConstruct(base as ts.InterfaceType, checker)) return true;
  }
  return false;
}

const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const docs = readme.slice(readme.indexOf('\n## API\n'));

/** The text under `### name`, up to the next heading of the same or a higher level. */
function section(name: string): string | undefined {
  const start = docs.indexOf(`\n### ${name}\n`);
  if (start < 0) return undefined;
  const rest = docs.slice(start + name.length + 6);
  const end = rest.search(/\n##/);
  return end < 0 ? rest : rest.slice(0, end);
}

const constructs = exportedConstructs();

test('the package exports the constructs the library promises', () => {
  expect([...constructs.keys()]).toEqual(expect.arrayContaining(['Tenancy', 'Platform', 'Tenant', 'TenantNamespace', 'ScopedTraefik', 'TenantIssuer', 'WildcardTLSStore']));
});

test.each([...constructs])('the README\'s API section has a section on %s naming each of its props', (name, props) => {
  const text = section(name);
  expect({ construct: name, documented: text !== undefined }).toEqual({ construct: name, documented: true });
  const missing = props.filter((prop) => !text!.includes(`| \`${prop}\` |`));
  expect({ construct: name, undocumentedProps: missing }).toEqual({ construct: name, undocumentedProps: [] });
});
