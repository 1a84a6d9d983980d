import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaging } from './staging.js';

let parent: string;
let out: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'cc-staging-'));
  out = join(parent, 'out');
  // The previous run's outputs, and a file of the user's own.
  mkdirSync(join(out, 'allure-results'), { recursive: true });
  writeFileSync(join(out, 'findings.json'), 'old');
  writeFileSync(join(out, 'diff.txt'), 'old diff');
  writeFileSync(join(out, 'allure-results', 'old-result.json'), '{}');
  writeFileSync(join(out, 'notes.txt'), 'mine');
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

describe('createStaging', () => {
  it('writes beside the output folder; the previous outputs stay until commit', () => {
    const s = createStaging(out);
    expect(join(s.dir, '..')).toBe(parent);
    writeFileSync(join(s.dir, 'findings.json'), 'new');
    mkdirSync(join(s.dir, 'allure-results'));
    writeFileSync(join(s.dir, 'allure-results', 'new-result.json'), '{}');
    expect(readFileSync(join(out, 'findings.json'), 'utf8')).toBe('old');
    s.commit();
    expect(readFileSync(join(out, 'findings.json'), 'utf8')).toBe('new');
    expect(readdirSync(join(out, 'allure-results'))).toEqual(['new-result.json']);
    // An output this run did not produce is gone (it would describe another run); the user's file stays.
    expect(existsSync(join(out, 'diff.txt'))).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('discard leaves the output folder as it was', () => {
    const s = createStaging(out);
    writeFileSync(join(s.dir, 'findings.json'), 'new');
    s.discard();
    expect(readFileSync(join(out, 'findings.json'), 'utf8')).toBe('old');
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('removes the staging folder of a run that died, not of one still running', () => {
    const dead = join(parent, '.out.staging-999999999-abc');
    const alive = join(parent, `.out.staging-${process.ppid}-abc`);
    mkdirSync(dead);
    mkdirSync(alive);
    createStaging(out).discard();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
  });
});
