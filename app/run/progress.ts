// Progress while a run is under way, so a user is not left with minutes of silence.
// On a terminal: one live line (bank, phase, requests sent and still queued, elapsed) rewritten in place with a
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
  /** The collector handed one more request for `bank` to the client (sent when the rate limit allows). */
  queued(bank: string): void;
  /** One more request to `bank` was answered (or failed). */
  sent(bank: string): void;
  /** Removes the live line (before other output is printed on a terminal). */
  clear(): void;
  /** Stops the timer and removes the live line. */
  stop(): void;
}

interface BankState {
  phase: Phase;
  sent: number;
  queued: number;
}

export function createProgress(opts: { target: ProgressTarget; redact: (text: string) => string; intervalMs?: number; now?: () => number }): Progress {
  const now = opts.now ?? Date.now;
  const started = now();
  const banks = new Map<string, BankState>();
  const tty = opts.target.isTTY === true;
  let shown = 0;
  let stopped = false;

  const text = (): string => {
    const secs = Math.round((now() - started) / 1000);
    // The collector plans in waves (the accounts the list names, then each next page): what it has
    // asked for and is not answered yet is the part of the plan still to come.
    const waiting = (s: BankState): string => (s.queued > s.sent ? `, ${s.queued - s.sent} queued` : '');
    const parts = [...banks].map(([id, s]) => `${id}: ${s.phase}, ${s.sent} request${s.sent === 1 ? '' : 's'} sent${waiting(s)}`);
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
      const s = banks.get(bank) ?? { phase, sent: 0, queued: 0 };
      s.phase = phase;
      banks.set(bank, s);
      if (tty) draw();
    },
    queued(bank) {
      const s = banks.get(bank);
      if (s) s.queued++;
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
