// The Allure 3 HTML report, generated offline as ONE self-contained index.html that opens from
// disk (file://). The multi-file awesome report needs an HTTP server (toolchain notes G11), so the
// awesome plugin runs in single-file mode, from a config we write ourselves.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface AllureReportOptions {
  resultsDir: string;
  /** Replaced as a whole on success; left as it was on failure. */
  reportDir: string;
  /** Shown in the report header and the page title. */
  name: string;
  /** Allure 3 history (JSONL). Only when given is history read and a point appended (gotcha G5). */
  historyPath?: string;
  /** Runs kept in the history file. */
  historyLimit?: number;
  /** Allure 3 categories (reporters/allure-categories.ts). */
  categories?: unknown[];
  /** Kill the generator after this long. */
  timeoutMs?: number;
  /** Aborted (SIGINT/SIGTERM): the generator is killed and no report is written. */
  signal?: AbortSignal;
}

export interface AllureReportOutcome {
  ok: boolean;
  message?: string;
}

const DEFAULT_TIMEOUT_MS = 300_000;

/** The allure CLI of the installed `allure` package (its exports do not include package.json). */
export function findAllureCli(): string | undefined {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('allure');
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (!existsSync(pkg)) continue;
    try {
      // why the cast: a package.json; only its optional name is read
      if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name !== 'allure') continue;
    } catch {
      continue;
    }
    const cli = join(dir, 'cli.js');
    return existsSync(cli) ? cli : undefined;
  }
  return undefined;
}

/**
 * reporters/node20-polyfills.mjs. tsc does not copy .mjs files into dist/, so from dist/reporters/
 * the search goes up to the package root's reporters/ folder.
 */
export function findPolyfill(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const direct = join(here, 'node20-polyfills.mjs');
  if (existsSync(direct)) return direct;
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'reporters', 'node20-polyfills.mjs');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The awesome template always embeds Google Analytics (`analyticsEnable: true` in
 * @allurereport/plugin-awesome 3.18). A conformance report holds bank data and must work offline,
 * so the two script tags are removed.
 */
export function stripAnalytics(html: string): string {
  return html
    .replace(/[ \t]*<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\r?\n?/g, '')
    .replace(/[ \t]*<script>\s*window\.dataLayer = window\.dataLayer \|\| \[\];[\s\S]*?<\/script>\r?\n?/g, '');
}

interface ChildResult {
  code: number | null;
  output: string;
  timedOut: boolean;
  error?: Error;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<ChildResult> {
  return new Promise((resolvePromise) => {
    let output = '';
    let timedOut = false;
    let settled = false;
    const done = (r: ChildResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(r);
    };
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Keep only the tail: the interesting part of a failure is at the end.
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const stop = (): void => {
      child.kill('SIGKILL');
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => done({ code: null, output, timedOut, error }));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', stop);
      done({ code, output, timedOut });
    });
  });
}

function lastLines(text: string, n: number): string {
  const clean = text.replace(/\x1b\[[0-9;]*m/g, '').trim();
  return clean.split(/\r?\n/).filter(Boolean).slice(-n).join(' | ');
}

/** The first lines of the newest log Allure wrote under (our) HOME/.allure/logs. */
async function allureLog(home: string): Promise<string> {
  const logs = join(home, '.allure', 'logs');
  try {
    const files = (await readdir(logs)).filter((f) => f.endsWith('.log')).sort();
    const newest = files.at(-1);
    if (!newest) return '';
    return (await readFile(join(logs, newest), 'utf8')).split(/\r?\n/).slice(0, 3).join(' | ');
  } catch {
    return '';
  }
}

/** Generates `reportDir/index.html`. Never throws: a failure returns ok:false and a one-line reason. */
export async function generateAllureReport(opts: AllureReportOptions): Promise<AllureReportOutcome> {
  const resultsDir = resolve(opts.resultsDir);
  const reportDir = resolve(opts.reportDir);
  let workDir: string | undefined;
  try {
    const results = await stat(resultsDir).catch(() => undefined);
    if (!results?.isDirectory()) return { ok: false, message: `no Allure results folder at ${resultsDir}` };
    const cli = findAllureCli();
    if (!cli) return { ok: false, message: 'the "allure" package is not installed (npm install)' };
    const polyfill = findPolyfill();

    // A sibling of reportDir: the finished report is moved in with a rename (same file system), and
    // the old report survives a failed generation.
    await mkdir(dirname(reportDir), { recursive: true });
    workDir = await mkdtemp(join(dirname(reportDir), `.${basename(reportDir)}-tmp-`));
    const output = join(workDir, 'report');
    const config: Record<string, unknown> = {
      name: opts.name,
      output,
      plugins: {
        awesome: {
          options: {
            singleFile: true,
            reportName: opts.name,
            reportLanguage: 'en',
            // docs/architecture.md "Output folder" labels: parentSuite = bank, suite = endpoint, subSuite = category.
            groupBy: ['parentSuite', 'suite', 'subSuite'],
          },
        },
        // Allure adds its agent plugin unless the config names it; it has no use here.
        agent: { enabled: false },
      },
    };
    if (opts.categories) config.categories = opts.categories;
    if (opts.historyPath) {
      config.historyPath = resolve(opts.historyPath);
      config.appendHistory = true;
      if (opts.historyLimit) config.historyLimit = opts.historyLimit;
    }
    const configPath = join(workDir, 'allurerc.json');
    await writeFile(configPath, JSON.stringify(config, null, 2));

    // Results folder as the working directory and "." as the pattern: Allure treats result paths
    // as glob patterns, and a path with [ ] * ( ) in it would otherwise match nothing.
    const args = [...(polyfill ? ['--import', pathToFileURL(polyfill).href] : []), cli, 'generate', '--config', configPath, '.'];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Allure writes its error logs to ~/.allure/logs; a private HOME lets us quote them and keeps ~ clean.
      HOME: workDir,
      USERPROFILE: workDir,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    };
    const child = await run(args, resultsDir, env, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
    if (opts.signal?.aborted) return { ok: false, message: 'interrupted' };
    if (child.error) return { ok: false, message: `allure could not be started: ${child.error.message}` };
    if (child.timedOut) return { ok: false, message: `allure generate did not finish within ${(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s` };
    if (child.code !== 0) {
      const detail = [lastLines(child.output, 3), await allureLog(workDir)].filter(Boolean).join(' | ');
      return { ok: false, message: `allure generate exited with code ${child.code}${detail ? `: ${detail}` : ''}` };
    }

    // With a single plugin Allure moves its folder's content up into the output folder; look in both.
    const built = [output, join(output, 'awesome')].find((d) => existsSync(join(d, 'index.html')));
    if (!built) return { ok: false, message: `allure generate wrote no index.html (${lastLines(child.output, 3) || 'no output'})` };
    const indexPath = join(built, 'index.html');
    await writeFile(indexPath, stripAnalytics(await readFile(indexPath, 'utf8')));

    await rm(reportDir, { recursive: true, force: true });
    await rename(built, reportDir);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `Allure report failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
