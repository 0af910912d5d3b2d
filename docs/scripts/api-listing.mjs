// The public API listing of a package, like api-extractor's report: for each entry point of its
// package.json `exports`, every exported name with its kind and its declaration as the built `.d.ts`
// states it. `npm run api` writes packages/<name>/api.md; docs/test/api-listings.test.ts fails when a
// package's exports differ from its listing, so a change of the public surface is always a visible diff.
//
// Read with the TypeScript 5 compiler API (`typescript5`): the repository's own `typescript` is the
// native compiler, which has no JavaScript API.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript5';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = join(ROOT, 'packages');
/** The conditions of an export whose declarations we read, in the order they are listed. */
const CONDITIONS = ['import', 'require'];

/** Every workspace package that is published: its package.json lacks `"private": true`. */
export function publicPackages() {
  return readdirSync(PACKAGES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(PACKAGES, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(PACKAGES, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const listingPath = join(dir, 'api.md');
      return { name: manifest.name, dir, manifest, listingPath, listingFile: relative(ROOT, listingPath) };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The `.d.ts` file of each condition of each entry point (`./package.json` and the like have none). */
function entryPoints(pkg) {
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.manifest.exports ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const types = CONDITIONS.filter((condition) => typeof target[condition]?.types === 'string').map(
      (condition) => ({ condition, file: join(pkg.dir, target[condition].types) }),
    );
    if (types.length > 0) entries.push({ specifier: pkg.name + subpath.slice(1), types });
  }
  return entries;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function isPrivate(member) {
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return true;
  return (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private) !== 0;
}

const KINDS = new Map([
  [ts.SyntaxKind.ClassDeclaration, 'class'],
  [ts.SyntaxKind.InterfaceDeclaration, 'interface'],
  [ts.SyntaxKind.TypeAliasDeclaration, 'type'],
  [ts.SyntaxKind.FunctionDeclaration, 'function'],
  [ts.SyntaxKind.EnumDeclaration, 'enum'],
  [ts.SyntaxKind.ModuleDeclaration, 'namespace'],
]);

function kindOf(declaration) {
  if (ts.isVariableDeclaration(declaration)) {
    return declaration.parent.flags & ts.NodeFlags.Const ? 'const' : 'let';
  }
  return KINDS.get(declaration.kind) ?? ts.SyntaxKind[declaration.kind];
}

/** The declaration as the `.d.ts` states it, without doc comments, `export`/`declare`, or private members. */
function declarationText(declaration) {
  const source = declaration.getSourceFile();
  if (ts.isVariableDeclaration(declaration)) {
    return `${kindOf(declaration)} ${printer.printNode(ts.EmitHint.Unspecified, declaration, source)};`;
  }
  let node = declaration;
  if (ts.isClassDeclaration(node)) {
    node = ts.factory.updateClassDeclaration(
      node,
      node.modifiers,
      node.name,
      node.typeParameters,
      node.heritageClauses,
      node.members.filter((member) => !isPrivate(member)),
    );
  }
  const text = printer.printNode(ts.EmitHint.Unspecified, node, source);
  return text.replace(/^(export )?(default )?(declare )?/, '');
}

/** Name, kind and declarations of every export of one `.d.ts` file, sorted by name. */
function exportsOf(program, file) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} is missing: build the package first`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declarations = target.declarations ?? [];
      const kinds = [...new Set(declarations.map(kindOf))];
      return {
        name: symbol.name,
        kind: kinds.join(' + ') || 'unknown',
        text: declarations.map(declarationText).join('\n'),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function renderExports(list) {
  return list.map((item) => `// ${item.name}: ${item.kind}\n${item.text}\n`).join('\n');
}

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  types: [],
  noEmit: true,
  noLib: true,
};

/**
 * A program over the given declaration files and the package's own files they import. Other packages'
 * types are left unresolved: a declaration is listed as written, so only our own re-exports need following.
 */
function createProgram(files) {
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  host.resolveModuleNames = (names, containingFile) =>
    names.map((name) =>
      name.startsWith('.')
        ? ts.resolveModuleName(name, containingFile, COMPILER_OPTIONS, host).resolvedModule
        : undefined,
    );
  return ts.createProgram(files, COMPILER_OPTIONS, host);
}

/** The listing of one package (see publicPackages()), as api.md holds it. */
export function renderApiListing(pkg) {
  const entries = entryPoints(pkg);
  const program = createProgram(entries.flatMap((entry) => entry.types.map((type) => type.file)));
  const sections = [];
  for (const entry of entries) {
    // The conditions usually declare the same exports; they are listed apart only where they differ.
    const rendered = entry.types.map((type) => ({
      ...type,
      text: renderExports(exportsOf(program, type.file)),
    }));
    const groups = [];
    for (const item of rendered) {
      const same = groups.find((group) => group.text === item.text);
      if (same !== undefined) same.items.push(item);
      else groups.push({ text: item.text, items: [item] });
    }
    for (const group of groups) {
      // Which files hold the declarations is the build's business: only the conditions are named.
      const conditions =
        groups.length > 1 ? ` (${group.items.map((item) => item.condition).join(', ')})` : '';
      sections.push(`## \`${entry.specifier}\`${conditions}\n\n\`\`\`ts\n${group.text}\`\`\`\n`);
    }
  }
  return [
    `# ${pkg.name}: public API`,
    '',
    'Every export of each entry point in package.json `exports`, with its kind and its declaration as the built',
    '`.d.ts` states it (doc comments and private class members left out); an entry point whose `import` and',
    '`require` conditions differ is listed once for each. Generated by `npm run api`; `npm test` fails when the',
    'exports differ from this file.',
    '',
    ...sections,
  ].join('\n');
}

/** Exported names per entry point in a listing: `specifier name` → the lines declaring it. */
function declarationsIn(listing) {
  const declarations = new Map();
  let specifier = '';
  let current;
  for (const line of listing.split('\n')) {
    const heading = /^## `(.+)`( \(.+\))?$/.exec(line);
    if (heading !== null) specifier = heading[1] + (heading[2] ?? '');
    const start = /^\/\/ (\S+): (.+)$/.exec(line);
    if (start !== null) {
      current = `${specifier} ${start[1]}`;
      declarations.set(current, `${start[2]}\n`);
    } else if (line === '```' || heading !== null) current = undefined;
    else if (current !== undefined) declarations.set(current, `${declarations.get(current)}${line}\n`);
  }
  return declarations;
}

/** What changed between two listings, one line per exported name, for a failure message. */
export function listingDifferences(before, after) {
  const old = declarationsIn(before);
  const now = declarationsIn(after);
  const lines = [];
  for (const [key, text] of now) {
    if (!old.has(key)) lines.push(`added ${key} (${text.split('\n')[0]})`);
    else if (old.get(key) !== text) lines.push(`changed ${key}`);
  }
  for (const key of old.keys()) if (!now.has(key)) lines.push(`removed ${key}`);
  return lines;
}
