// Progress while a run is under way, so a user is not left with minutes of silence.
// On a terminal: one live line (bank, phase, requests sent, elapsed) rewritten in place with a
// carriage return and blanks (no escape sequence, so NO_COLOR terminals and logs of a terminal
// session see none). Not a terminal (CI logs, a pipe): a plain line every `intervalMs`.
// Every text passes through `redact` first.

export type Phase = 'preparing' | 'collecting' | 'judging' | 'reporting';

export interface ProgressTarget {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** A bank enters a phase. */
  phase(bank: string, phase: Phase): void;
  /** One more request went out to `bank`. */
  sent(bank: string): void;
  /** Removes the live line (before other output is printed on a terminal). */
  clear(): void;
  /** Stops the timer and removes the live line. */
  stop(): void;
}

interface BankState { phase: Phase; sent: number }

export function createProgress(opts: { target: ProgressTarget; redact: (text: string) => string; intervalMs?: number; now?: () => number }): Progress {
  const now = opts.now ?? Date.now;
  const started = now();
  const banks = new Map<string, BankState>();
  const tty = opts.target.isTTY === true;
  let shown = 0;
  let stopped = false;

  const text = (): string => {
    const secs = Math.round((now() - started) / 1000);
    const parts = [...banks].map(([id, s]) => `${id}: ${s.phase}, ${s.sent} request${s.sent === 1 ? '' : 's'} sent`);
    return opts.redact(`  [${secs} s] ${parts.join(' | ')}`);
  };
  const clear = (): void => {
    if (!tty || shown === 0) return;
    opts.target.write(`\r${' '.repeat(shown)}\r`);
    shown = 0;
  };
  const draw = (): void => {
    if (stopped || banks.size === 0) return;
    if (tty) {
      const columns = (opts.target as { columns?: number }).columns ?? 100;
      const full = text();
      const line = full.length < columns ? full : `${full.slice(0, columns - 2)}…`;
      clear();
      opts.target.write(line);
      shown = line.length;
    } else opts.target.write(`${text()}\n`);
  };
  // A terminal line refreshes often (cheap, in place); a log gets a line only now and then.
  const timer = setInterval(draw, opts.intervalMs ?? (tty ? 250 : 10_000));
  timer.unref();
  return {
    phase(bank, phase) {
      const s = banks.get(bank) ?? { phase, sent: 0 };
      s.phase = phase;
      banks.set(bank, s);
      if (tty) draw();
    },
    sent(bank) {
      const s = banks.get(bank);
      if (s) s.sent++;
    },
    clear,
    stop() {
      clearInterval(timer);
      clear();
      stopped = true;
    },
  };
}
