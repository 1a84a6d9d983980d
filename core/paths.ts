import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The project root, found from this module whether it runs from source (vitest) or from dist/.
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'card-conformance') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('card-conformance: cannot find the package root');
    dir = up;
  }
}

export const ROOT = findRoot();
export const projectPath = (...parts: string[]): string => join(ROOT, ...parts);
// why the cast: our own package.json, which always has a name and a version
export const TOOL = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
