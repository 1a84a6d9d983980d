// The report a reviewer reads, checked in the generated allure-results and junit.xml of a failing
// run (the CLI as a child process): the verdict as the exit code gives it with the count of
// critical findings, failed evidence steps, no stack trace of this suite's code, spec links to the
// published spec (no file:// path), real JUnit durations, and the environment block.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliResult } from './fixtures/cli.js';

interface Step {
  name: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  steps?: Step[];
}
interface AllureResult {
  name: string;
  status: string;
  statusDetails?: { message?: string; trace?: string };
  links: { url: string; name?: string }[];
  labels: { name: string; value: string }[];
  steps: Step[];
}

let dir: string;
let run: CliResult;
let results: AllureResult[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-report-'));
  run = await cli(['run', '--defects', 'pan-unmasked', '--faults', 'malformed-json', '--out', join(dir, 'out')]);
  const resultsDir = join(dir, 'out', 'allure-results');
  results = readdirSync(resultsDir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as AllureResult);
}, 600_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the report of a failing run', () => {
  it('says FAIL, as the exit code does, with the count of critical findings', () => {
    expect(run.code, run.stderr).toBe(1);
    const env = readFileSync(join(dir, 'out', 'allure-results', 'environment.properties'), 'utf8');
    const critical = results.filter(
      (r) => r.status === 'failed' && r.labels.some((l) => l.name === 'severity' && (l.value === 'critical' || l.value === 'blocker')),
    ).length;
    expect(critical).toBeGreaterThan(0);
    expect(env).toMatch(/^verdict=FAIL$/m);
    expect(env).toContain(`critical\\ findings=${critical}\n`);
    for (const key of ['tool=card-conformance ', 'spec=NextGenPSD2', 'spec\\ sha256=', 'profile=berlin-group', 'banks=reference-bank'])
      expect(env).toContain(key);
    expect(env).toMatch(/^spec\\ sha256=[0-9a-f]{64}$/m);
    // The report's name (header and title) carries the verdict too.
    const html = readFileSync(join(dir, 'out', 'allure-report', 'index.html'), 'utf8');
    expect(html).toContain(`FAIL (${critical} critical): PSD2 card-account conformance of reference-bank`);
  });

  it('a failing exchange is a failed step; an unjudgeable one is broken', () => {
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      const exchangeSteps = r.steps.filter((s) => /^[A-Z]+ https?:\/\//.test(s.name));
      expect(exchangeSteps.length, r.name).toBeGreaterThan(0);
      expect(
        exchangeSteps.some((s) => s.status === 'failed'),
        r.name,
      ).toBe(true);
      const inside = exchangeSteps.find((s) => s.status === 'failed')?.steps?.map((s) => s.name.replace(/ \d+$/, ''));
      expect(inside).toEqual(expect.arrayContaining(['request', 'response', 'curl']));
    }
    const broken = results.filter((r) => r.status === 'broken');
    expect(broken.length).toBeGreaterThan(0);
    for (const r of broken) expect(r.statusDetails?.message, r.name).toBeTruthy();
  });

  it('no stack trace of this suite in any result, and no local path in any link', () => {
    const all = JSON.stringify(results);
    expect(all).not.toMatch(/\n\s+at /);
    expect(all).not.toContain('file://');
    expect(all).not.toContain('/suites/');
    for (const r of results) {
      for (const l of r.links) expect(l.url).toMatch(/^https:\/\//);
      expect(r.labels.find((l) => l.name === 'specRef')?.value, r.name).toBeTruthy();
    }
    expect(results.some((r) => r.links.length > 0)).toBe(true);
  });

  it("JUnit carries each test case's own duration", () => {
    const xml = readFileSync(join(dir, 'out', 'junit.xml'), 'utf8');
    const times = [...xml.matchAll(/<testcase [^>]*time="([0-9.]+)"/g)].map((m) => Number(m[1]));
    expect(times.length).toBeGreaterThan(100);
    expect(times.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(new Set(times).size).toBeGreaterThan(1);
  });
});
