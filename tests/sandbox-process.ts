// Starts `card-conformance sandbox` (the built CLI) as a child process and reads what it prints.
// Helper for tests/sandbox-*.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { projectPath } from '../core/paths.js';

export interface SandboxProcess {
  child: ChildProcess;
  baseUrl: string;
  /** The folder with the client files the sandbox printed, if any. */
  dir?: string;
  stdout: () => string;
  /** Resolves with the exit code once the process has ended (stdout closed too). */
  exited: Promise<number | null>;
}

const CLI = projectPath('dist', 'bin', 'card-conformance.js');

/**
 * `ready` is a pattern the complete start-up text matches. With `wrapper`, the sandbox is started
 * by an intermediate node process (its parent), which the test can kill to play "the parent died".
 */
export function startSandboxProcess(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; ready: RegExp; wrapper?: boolean; timeoutMs?: number },
): Promise<SandboxProcess> {
  const command = opts.wrapper
    ? [
        '-e',
        `const { spawn } = require('node:child_process');
       spawn(process.execPath, [${JSON.stringify(CLI)}, ...${JSON.stringify(['sandbox', ...args])}], { stdio: 'inherit' });
       setInterval(() => {}, 1000);`,
      ]
    : [CLI, 'sandbox', ...args];
  const child = spawn(process.execPath, command, { cwd: projectPath(), env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  // 'close' waits for every holder of the pipes: with a wrapper, the sandbox itself.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox did not start in time\n${out}\n${err}`));
    }, opts.timeoutMs ?? 60_000);
    const check = (): void => {
      if (!opts.ready.test(out)) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      const baseUrl = /listening on (\S+)/.exec(out)?.[1] ?? '';
      const dir = /client files are in (\S+) and are removed/.exec(out)?.[1];
      resolve({ child, baseUrl, ...(dir ? { dir } : {}), stdout: () => out, exited });
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code} before it was ready\n${out}\n${err}`));
    });
  });
}
