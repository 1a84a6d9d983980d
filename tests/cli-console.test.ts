// What a user sees on the console, with the CLI as a child process: on a pipe (plain progress lines,
// no control sequence at all) and on a pseudo-terminal (a live line, colour unless NO_COLOR); at
// the end the failed rules by severity, then the matrix with the HTTP method in each row label.
// Also: --baseline-optional on a first night, and a combined findings file as the baseline.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../core/paths.js';
import { combineFindings, readFindings } from '../reporters/findings.js';
import { colorWanted } from '../reporters/console.js';
import { cli } from './fixtures/cli.js';

const ESC = '\u001b';
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-console-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`); resolves with everything the terminal received. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, projectPath('dist', 'bin', 'card-conformance.js'), ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: projectPath(),
      env: { ...process.env, COLUMNS: '120', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no end on the terminal:\n${output}`));
    }, 480_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('console output', () => {
  it('on a pipe: plain progress lines, failed rules by severity, the matrix with methods, no control sequence', async () => {
    const out = join(dir, 'pipe');
    const r = await cli(['run', '--defects', 'pan-unmasked', '--no-report', '--out', out, '--baseline', join(dir, 'last-night.json'), '--baseline-optional'], {
      env: { CARD_CONFORMANCE_PROGRESS_MS: '100', NO_COLOR: undefined, FORCE_COLOR: '1' },
    });
    expect(r.code, r.stderr).toBe(1);
    // A combined findings file (two banks) as the next test's baseline: the bank is matched by id.
    const first = readFindings(join(out, 'findings.json'));
    const other = { ...first, bank: { ...first.bank, id: 'another-bank' }, results: first.results.map((x) => ({ ...x, status: 'passed' as const })) };
    writeFileSync(join(dir, 'combined.json'), JSON.stringify(combineFindings([other, first])));
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).toMatch(/notice: no baseline at .*last-night\.json yet \(--baseline-optional\)/);
    expect(r.stdout).toMatch(/^ {2}\[\d+ s\] reference-bank: collecting, \d+ requests? sent(, \d+ queued)?$/m);
    // Failed rules, most severe first, each with its id, instance count and a one-line message.
    const failedAt = r.stdout.indexOf('reference-bank: ');
    const matrixAt = r.stdout.indexOf('reference-bank (berlin-group): FAIL');
    expect(failedAt).toBeGreaterThan(-1);
    expect(matrixAt).toBeGreaterThan(failedAt);
    const failedPart = r.stdout.slice(failedAt, matrixAt);
    expect(failedPart).toMatch(/^ {2}critical \(\d+\)$/m);
    expect(failedPart).toMatch(/^ {4}✗ \S+:\/cardAccounts\/\*\/maskedPan:masking \[\d+ instances?\]$/m);
    expect(failedPart).not.toContain('violations in total');
    // The matrix: DELETE and GET rows of the consent are told apart.
    const matrix = r.stdout.slice(matrixAt);
    expect(matrix).toMatch(/^ {2}DELETE \S*/m);
    expect(matrix).toMatch(/^ {2}GET …\S*consentId\}/m);
    expect(existsSync(join(out, 'diff.json'))).toBe(false);
  }, 600_000);

  it.skipIf(!hasScript)(
    'on a terminal: a live line and colour; a combined baseline compared by bank id',
    async () => {
      const out = join(dir, 'tty');
      const r = await onTerminal(['run', '--no-report', '--out', out, '--baseline', join(dir, 'combined.json')], {
        NO_COLOR: undefined,
        TERM: 'xterm-256color',
      });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/\r {2}\[\d+ s\] reference-bank: (collecting|judging)/); // redrawn in place
      expect(r.output).toContain(`${ESC}[`); // picocolors' colour
      const diff = readFileSync(join(out, 'diff.json'), 'utf8');
      // Last run failed the masked-pan rules; this run (no defect) fixed them.
      expect(diff).toMatch(/fixed/i);
      expect(diff).toContain('maskedPan');
    },
    600_000,
  );

  it.skipIf(!hasScript)(
    'on a terminal with NO_COLOR: no escape sequence at all',
    async () => {
      const r = await onTerminal(['run', '--no-report', '--out', join(dir, 'nocolor')], { NO_COLOR: '1', TERM: 'xterm-256color' });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/reference-bank \(berlin-group\): PASS/);
      expect(r.output).not.toContain(ESC);
    },
    600_000,
  );

  it('colour only on a terminal, and never with NO_COLOR, --no-color or TERM=dumb', () => {
    expect(colorWanted({ isTTY: true, env: {} })).toBe(true);
    expect(colorWanted({ isTTY: false, env: {} })).toBe(false);
    expect(colorWanted({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorWanted({ isTTY: true, noColorFlag: true, env: {} })).toBe(false);
    expect(colorWanted({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
  });
});
