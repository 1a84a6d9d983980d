// Where profiles live: one folder per profile, named for it, holding profile.yaml (the policy),
// its overlay or own spec, reference-bank.yaml (the reference bank's data, optional) and
// example-bank.yaml (a bank file to start from). The list of profiles is the list of folders:
// nothing names them elsewhere. Shipped profiles are in specs/profiles/; CARD_CONFORMANCE_PROFILES
// adds folders of one's own (a list of directories, separated like PATH), e.g. for a profile under
// development or in a test that must not write into the package.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ConfigError } from './types.js';
import { projectPath } from '../core/paths.js';
import { suggest } from './suggest.js';

export const PROFILES_ENV = 'CARD_CONFORMANCE_PROFILES';
export const SHIPPED_PROFILES_DIR = projectPath('specs', 'profiles');
/** The files of a profile folder. */
export const PROFILE_FILE = 'profile.yaml';
export const REFERENCE_BANK_FILE = 'reference-bank.yaml';
export const EXAMPLE_BANK_FILE = 'example-bank.yaml';

const NAME = /^[a-z0-9-]+$/;

/** The directories profiles are found in: specs/profiles/, then each one CARD_CONFORMANCE_PROFILES names. */
export function profileRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env[PROFILES_ENV] ?? '')
    .split(delimiter)
    .filter((d) => d.trim() !== '')
    .map((d) => resolve(d));
  for (const dir of extra) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(PROFILES_ENV, undefined, `${dir} is not a directory`);
  }
  return [SHIPPED_PROFILES_DIR, ...extra];
}

/** Every profile: its name (the folder's) and its folder. A folder is a profile when it holds profile.yaml. */
export function profileFolders(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const found = new Map<string, string>();
  for (const root of profileRoots(env)) {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !NAME.test(entry.name)) continue;
      const folder = join(root, entry.name);
      if (!existsSync(join(folder, PROFILE_FILE))) continue;
      const earlier = found.get(entry.name);
      // Two folders of one name: which one a bank file means would depend on the order of the list.
      if (earlier !== undefined) {
        throw new ConfigError(PROFILES_ENV, undefined, `profile '${entry.name}' is in both ${earlier} and ${folder}; rename one folder`);
      }
      found.set(entry.name, folder);
    }
  }
  return found;
}

/** The names of the known profiles, sorted. */
export function profileNames(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...profileFolders(env).keys()].sort();
}

/** One line for an unknown profile: what was given, the nearest name, and every known one. */
export function unknownProfileDetail(name: string, known: readonly string[]): string {
  const near = suggest(name, known);
  return `unknown profile '${name}'${near ? ` (did you mean ${near}?)` : ''}; known profiles: ${known.join(', ')}`;
}

/**
 * The folder of a profile. An unknown name is a ConfigError naming where it came from: a flag
 * (`--profile`) or a file and field (origin 'bank.yaml', field 'profile').
 */
export function profileFolder(name: string, origin = '--profile', field?: string): string {
  const folders = profileFolders();
  const folder = NAME.test(name) ? folders.get(name) : undefined;
  if (folder === undefined) throw new ConfigError(origin, field, unknownProfileDetail(name, [...folders.keys()].sort()));
  return folder;
}

/** A file of the profile's folder, if the folder holds it (reference-bank.yaml and example-bank.yaml are optional). */
export function profileFile(folder: string, file: string): string | undefined {
  const path = join(folder, file);
  return existsSync(path) ? path : undefined;
}
