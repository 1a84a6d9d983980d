// Concurrency and rate limits for the HTTP client (bank file `limits`).

/** At most `max` holders at a time; waiters are served in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  }

  get inFlight(): number {
    return this.active;
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.active < this.max) this.active++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve)); // the slot is handed over, `active` unchanged
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/**
 * A token bucket in its "virtual scheduling" form (GCRA): each caller reserves the next
 * free send time, so callers are served in order without a timer loop. `burst` is the
 * bucket size; the default 1 spaces requests evenly, so no one-second window ever sees
 * more than `ratePerSecond` requests (some banks count per calendar second).
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly burst: number;
  /** When the bucket will be full again (the theoretical arrival time). */
  private tat = -Infinity;
  private readonly now: () => number;

  constructor(
    readonly ratePerSecond: number,
    opts: { burst?: number; now?: () => number } = {},
  ) {
    if (!(ratePerSecond >= 0)) throw new RangeError(`requestsPerSecond must be ≥ 0, got ${ratePerSecond}`);
    this.intervalMs = ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
    this.burst = Math.max(1, Math.floor(opts.burst ?? 1));
    this.now = opts.now ?? (() => performance.now());
  }

  /** How long the caller must wait for its token (and reserves it). 0 = unlimited. */
  reserve(): number {
    if (this.intervalMs === 0) return 0;
    const now = this.now();
    const tat = Math.max(this.tat, now);
    const allowedAt = tat - (this.burst - 1) * this.intervalMs;
    this.tat = tat + this.intervalMs;
    return Math.max(0, allowedAt - now);
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
