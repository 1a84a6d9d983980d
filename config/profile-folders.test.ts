// Profiles are the folders of specs/profiles/ plus those CARD_CONFORMANCE_PROFILES adds; an
// unknown name is one line naming where it came from, the nearest name and every known one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath } from '../core/paths.js';
import { loadProfile } from './profile.js';
import { PROFILES_ENV, profileFolders, profileNames, unknownProfileDetail } from './profile-folders.js';
import { ConfigError } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-profile-folders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHIPPED = ['berlin-group', 'bits-no', 'handelsbanken'];

function folder(root: string, name: string, profileYaml?: string): string {
  const f = join(dir, root, name);
  mkdirSync(f, { recursive: true });
  if (profileYaml !== undefined) writeFileSync(join(f, 'profile.yaml'), profileYaml);
  return f;
}

const bgProfile = (): string =>
  readFileSync(projectPath('specs', 'profiles', 'berlin-group', 'profile.yaml'), 'utf8').replace(
    /^spec: .*$/m,
    `spec: ${JSON.stringify(projectPath('specs', 'berlin-group.openapi.yaml'))}`,
  );

describe('profile folders', () => {
  it('are the shipped folders holding profile.yaml, sorted', () => {
    expect(profileNames({})).toEqual(SHIPPED);
    expect(profileFolders({}).get('bits-no')).toBe(projectPath('specs', 'profiles', 'bits-no'));
  });

  it('CARD_CONFORMANCE_PROFILES adds folders (several, separated like PATH); a folder without profile.yaml is not a profile', () => {
    folder('a', 'se-test', bgProfile());
    folder('b', 'fi-test', bgProfile());
    folder('b', 'notes'); // no profile.yaml
    folder('b', 'Upper', bgProfile()); // not a profile name
    const env = { [PROFILES_ENV]: [join(dir, 'a'), join(dir, 'b')].join(delimiter) };
    expect(profileNames(env)).toEqual(['berlin-group', 'bits-no', 'fi-test', 'handelsbanken', 'se-test']);
  });

  it('a name in two folders, or a missing folder, is a ConfigError naming the variable', () => {
    folder('dup', 'bits-no', bgProfile());
    expect(() => profileNames({ [PROFILES_ENV]: join(dir, 'dup') })).toThrow(`${PROFILES_ENV}: profile 'bits-no' is in both`);
    expect(() => profileNames({ [PROFILES_ENV]: join(dir, 'nowhere') })).toThrow(`${PROFILES_ENV}: ${join(dir, 'nowhere')} is not a directory`);
  });

  it('an unknown name: the flag or file and field, did-you-mean, the known profiles', () => {
    expect(unknownProfileDetail('bits', SHIPPED)).toBe("unknown profile 'bits' (did you mean bits-no?); known profiles: berlin-group, bits-no, handelsbanken");
    expect(unknownProfileDetail('dk', SHIPPED)).toBe("unknown profile 'dk'; known profiles: berlin-group, bits-no, handelsbanken");
    let error: unknown;
    try {
      loadProfile('berlin-grop', 'bank.yaml', 'profile');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "bank.yaml: profile: unknown profile 'berlin-grop' (did you mean berlin-group?); known profiles: berlin-group, bits-no, handelsbanken",
    );
    expect(() => loadProfile('../bits-no')).toThrow("--profile: unknown profile '../bits-no'");
  });

  it("the name is the folder's: a name: in profile.yaml must match it", () => {
    const f = folder('named', 'named-test', `name: other\n${bgProfile()}`);
    const env = { [PROFILES_ENV]: join(dir, 'named') };
    const saved = process.env[PROFILES_ENV];
    process.env[PROFILES_ENV] = env[PROFILES_ENV];
    try {
      expect(() => loadProfile('named-test')).toThrow(`${join(f, 'profile.yaml')}: name: 'other' differs from the folder's name 'named-test' (leave name out)`);
      writeFileSync(join(f, 'profile.yaml'), `name: named-test\n${bgProfile()}`);
      expect(loadProfile('named-test')).toMatchObject({ name: 'named-test', folder: f });
      expect(loadProfile('named-test').referenceBank).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env[PROFILES_ENV];
      else process.env[PROFILES_ENV] = saved;
    }
  });
});
