import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../core/paths.js';

/**
 * The layers, top to bottom, and what each may import (besides itself). docs/architecture.md draws the same
 * picture; a change here is a change of the architecture and belongs there too. The suites are started by path
 * (vitest's config), never imported, so nothing above them names them.
 */
export const LAYERS: Record<string, readonly string[]> = {
  bin: ['app', 'reporters', 'collect', 'sandbox', 'rules', 'schemas', 'transport', 'config', 'core'],
  app: ['reporters', 'collect', 'sandbox', 'rules', 'schemas', 'transport', 'config', 'core'],
  suites: ['reporters', 'rules', 'schemas', 'config', 'core'],
  reporters: ['config', 'core'],
  collect: ['rules', 'schemas', 'transport', 'config', 'core'],
  sandbox: ['schemas', 'transport', 'config', 'core'],
  rules: ['schemas', 'transport', 'config', 'core'],
  schemas: ['config', 'core'],
  transport: ['config', 'core'],
  config: ['core'],
  core: [],
};

interface Edge {
  from: string;
  to: string;
  line: number;
}

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function productFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = join(dir, d.name);
    if (d.isDirectory()) return productFiles(rel);
    // Unit tests sit beside their module and may use fixtures from above (a real server, the CLI); only product code is layered.
    return /\.(ts|mts)$/.test(d.name) && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [rel] : [];
  });
}

export function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined) continue;
    const target = normalize(join(dirname(file), spec));
    edges.push({ from: file, to: target, line: text.slice(0, m.index).split('\n').length });
  }
  return edges;
}

const layerOf = (file: string): string => file.split(sep)[0] ?? file;
/** The folder a file lives in, below its layer: `rules/kinds`, `app/run`, or the layer itself. */
const folderOf = (file: string): string => dirname(file);

const edges = Object.keys(LAYERS).flatMap((layer) => productFiles(layer).flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8'))));

/** Strongly connected components with more than one node (Tarjan). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        on.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('layers', () => {
  it('finds the imports it checks (the parser is not blind)', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(
      importsOf(join('app', 'x.ts'), "import { a } from '../core/model.js';\nexport * from './y.js';\nawait import('../rules/judge.js');").map((e) => e.to),
    ).toEqual([join('core', 'model.js'), join('app', 'y.js'), join('rules', 'judge.js')]);
  });

  it('every import goes to the same layer or one the layer may use', () => {
    const upward = edges
      .filter((e) => layerOf(e.to) !== layerOf(e.from) && !(LAYERS[layerOf(e.from)] ?? []).includes(layerOf(e.to)))
      .map(
        (e) =>
          `${relative('.', e.from)}:${e.line} imports ${e.to} (${layerOf(e.from)} may use: ${(LAYERS[layerOf(e.from)] ?? []).join(', ') || 'nothing of ours'})`,
      );
    expect(upward).toEqual([]);
  });

  it('the layer table itself has no cycle', () => {
    const g = new Map(Object.entries(LAYERS).map(([k, v]) => [k, new Set(v)]));
    expect(cycles(g)).toEqual([]);
  });

  // A folder and its own subfolders form one unit (a registry beside its kinds); between siblings and layers a cycle is a knot.
  it('no two folders import each other, directly or round about', () => {
    const g = new Map<string, Set<string>>();
    const within = (a: string, b: string): boolean => a === b || a.startsWith(`${b}${sep}`) || b.startsWith(`${a}${sep}`);
    for (const e of edges) {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      if (within(a, b)) continue;
      g.set(a, (g.get(a) ?? new Set()).add(b));
    }
    expect(cycles(g)).toEqual([]);
  });

  it('the cycle finder finds a cycle', () => {
    expect(
      cycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
          ['d', new Set(['a'])],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
  });
});
