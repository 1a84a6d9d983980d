// The commands a new user reaches for, with the CLI as a child process: `rules` (the catalogue the
// run judges, as a table and as JSON), `init` (a commented bank file that `doctor` then explains,
// without contacting anything), and `completion` (bash and zsh scripts that know every command and flag).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../bin/commands.js';
import { loadProfile, profileNames } from '../config/profile.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { cli } from './fixtures/cli.js';
import { startCountingServer } from './fixtures/counting-server.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-commands-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const catalogueIds = (profile: string): string[] => {
  const p = loadProfile(profile);
  return buildCatalogue(loadProfileSpec(p), p).rules.map((r) => r.id);
};

describe('card-conformance rules', () => {
  it('--json: every rule the run generates, with id, category, severity, mandatory and spec reference', async () => {
    for (const profile of ['berlin-group', 'bits-no']) {
      const r = await cli(['rules', '--profile', profile, '--json'], { timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      expect(rows.map((x) => x.id)).toEqual(catalogueIds(profile));
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(expect.arrayContaining(['id', 'category', 'severity', 'mandatory', 'specRef']));
        expect(typeof row.mandatory).toBe('boolean');
        expect(row.specRef).not.toMatch(/^(file:|\/)/); // a spec reference, not a local path
      }
    }
  }, 300_000);

  it('a table by default, and exit 2 on an unknown profile or a missing --spec', async () => {
    const r = await cli(['rules'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const ids = catalogueIds('berlin-group');
    expect(r.stdout).toMatch(new RegExp(`^${ids.length} rules: .*, profile berlin-group$`, 'm'));
    expect(r.stdout).toMatch(/^category +severity +mandatory +rule id +spec reference$/m);
    for (const id of ids) expect(r.stdout).toContain(` ${id} `);
    expect(r.stdout).not.toContain('\u001b');
    const unknown = await cli(['rules', '--profile', 'nowhere'], { timeoutMs: 60_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--profile: unknown profile 'nowhere'; known profiles: berlin-group, bits-no, handelsbanken/);
    const noSpec = await cli(['rules', '--spec', join(dir, 'none.yaml')], { timeoutMs: 60_000 });
    expect(noSpec.code, noSpec.stderr).toBe(2);
    expect(noSpec.stderr).toContain('none.yaml');
  }, 300_000);
});

describe('card-conformance init', () => {
  it('writes a commented bank file that doctor explains, contacting nothing while it is incomplete', async () => {
    const bank = await startCountingServer();
    try {
      const file = join(dir, 'my-bank.yaml');
      const r = await cli(['init', '--profile', 'berlin-group', '--out', file], { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`card-conformance doctor --bank ${file}`);
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/^# yaml-language-server: \$schema=\S*bank-file\.schema\.json$/m);
      expect(text).toContain('card-conformance doctor --bank my-bank.yaml');
      expect(text).toContain('profile: berlin-group');
      expect(text).toContain('${BANK_CONSENT_ID}');
      // Pointed at the counting listener: even so, doctor sends nothing while a variable is unset.
      writeFileSync(file, text.replace(/^baseUrl: .*$/m, `baseUrl: ${bank.url}`));
      const env = { BANK_CONSENT_ID: undefined, BANK_PSU_ID: undefined, BANK_API_KEY: undefined };
      const doctor = await cli(['doctor', '--bank', file], { env, timeoutMs: 120_000 });
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(2);
      expect(doctor.stdout).toMatch(/✗ environment: BANK_CONSENT_ID is not set \(needed by consent\.id\)/);
      expect(doctor.stdout).toMatch(/not checked: the bank file has \d+ problem/);
      expect(bank.count()).toBe(0);
    } finally {
      await bank.close();
    }
  }, 300_000);

  it('refuses to overwrite without --force; an unknown or missing profile is exit 2', async () => {
    const file = join(dir, 'existing.yaml');
    writeFileSync(file, 'mine\n');
    const refused = await cli(['init', '--profile', 'bits-no', '--out', file], { timeoutMs: 60_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--out: .*existing\.yaml exists; --force replaces it/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    const forced = await cli(['init', '--profile', 'bits-no', '--out', file, '--force'], { timeoutMs: 60_000 });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('profile: bits-no');
    const unknown = await cli(['init', '--profile', 'atlantis', '--out', join(dir, 'a.yaml')], { timeoutMs: 60_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--profile: unknown profile 'atlantis'/);
    expect(existsSync(join(dir, 'a.yaml'))).toBe(false);
    const missing = await cli(['init', '--out', join(dir, 'b.yaml')], { timeoutMs: 60_000 });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--profile: required/);
  }, 300_000);
});

describe('card-conformance completion', () => {
  const flags = (name: string): string[] => [...Object.keys(commands[name]!.options), 'help'].map((f) => `--${f}`);

  it('bash: a script bash accepts, with every command, every flag and the profile names', async () => {
    const r = await cli(['completion', 'bash'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const script = join(dir, 'completion.bash');
    writeFileSync(script, r.stdout);
    const check = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    for (const name of Object.keys(commands)) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`    ${name}) opts="`));
      expect(line, name).toBeDefined();
      for (const flag of flags(name)) expect(line!.split(/[" ]/), `${name} ${flag}`).toContain(flag);
    }
    for (const profile of profileNames()) expect(r.stdout).toContain(profile);
    expect(r.stdout).toContain('complete -o default -F _card_conformance card-conformance');
    // Loaded into a shell, it completes a command's flags.
    const probe = `source ${script}; COMP_WORDS=(card-conformance run --fail); COMP_CWORD=2; _card_conformance; echo "\${COMPREPLY[@]}"`;
    const complete = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
    expect(complete.stdout.trim()).toBe('--fail-on');
  }, 120_000);

  it('zsh: every command and flag', async () => {
    const r = await cli(['completion', 'zsh'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('#compdef card-conformance\n')).toBe(true);
    for (const name of Object.keys(commands)) {
      expect(r.stdout).toMatch(new RegExp(`^ {4}'${name}:`, 'm'));
      const block = r.stdout.slice(r.stdout.indexOf(`\n    ${name})\n`));
      const end = block.indexOf('\n      ;;');
      for (const flag of flags(name)) expect(block.slice(0, end), `${name} ${flag}`).toMatch(new RegExp(`'\\*?${flag}\\[`));
    }
    // Where zsh is installed (not on every CI runner), it must accept the script too.
    if (spawnSync('zsh', ['--version']).status === 0) {
      const script = join(dir, 'completion.zsh');
      writeFileSync(script, r.stdout);
      const check = spawnSync('zsh', ['-n', script], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }
    const bad = await cli(['completion', 'fish'], { timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
  }, 120_000);

  it('every new command has its own --help', async () => {
    for (const name of ['rules', 'init', 'completion']) {
      const r = await cli([name, '--help'], { timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: card-conformance ${name} `));
    }
    const run = await cli(['run', '--help'], { timeoutMs: 60_000 });
    for (const flag of ['--rule GLOB', '--skip-rule GLOB', '--last-failed', '--fail-on SEVERITY', '--json']) expect(run.stdout).toContain(flag);
  }, 120_000);
});
