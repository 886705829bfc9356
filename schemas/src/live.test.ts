import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * The modules `entry` loads at run time, by walking its import and export declarations
 * (`import type` / `export type` are erased, so they are not followed; `import { type X }` is
 * kept under verbatimModuleSyntax, so it is). Relative paths are followed; bare ones collected.
 */
function moduleGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const specifiers: string[] = [];
    const walk = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
        specifiers.push(node.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        specifiers.push(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        specifiers.push(argument && ts.isStringLiteralLike(argument) ? argument.text : '<dynamic import>');
      }
      ts.forEachChild(node, walk);
    };
    walk(source);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(resolve(SRC, entry));
  return { files: new Set([...files].map((file) => relative(SRC, file))), packages };
}

describe('@reeltime/schemas/live (the browser entry point)', () => {
  it('is the package export `./live`', () => {
    const manifest = JSON.parse(readFileSync(resolve(SRC, '../package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(manifest.exports['./live']).toBe('./src/live.ts');
  });

  it('loads neither the event registry nor anything but typebox', () => {
    const { files, packages } = moduleGraph('live.ts');
    expect(files).toContain('http/live.ts');
    expect(files).not.toContain('registry.ts');
    expect(files).not.toContain('index.ts');
    expect([...packages].sort()).toEqual(['typebox', 'typebox/format']);
  });

  it('the walk does see the registry where it is loaded (the check above can fail)', () => {
    const { files, packages } = moduleGraph('index.ts');
    expect(files).toContain('registry.ts');
    expect(packages).toContain('typebox/compile');
  });

  it('re-exports the same schema objects as the main entry, never copies', async () => {
    const live: Record<string, unknown> = await import('@reeltime/schemas/live');
    const main: Record<string, unknown> = await import('@reeltime/schemas');
    const names = Object.keys(live);
    expect(names).toEqual(
      expect.arrayContaining([
        'LiveUpdateData',
        'UpdateMessage',
        'LiveServerMessage',
        'LiveClientMessage',
        'LiveChannel',
        'PositionToken',
        'TitleSummary',
      ]),
    );
    for (const name of names) expect(live[name], name).toBe(main[name]);
  });
});
