// The progress line: requests sent and those the collector has asked for that still wait (its plan
// so far), on a pipe as plain lines, on a terminal redrawn in place.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from './progress.js';

afterEach(() => {
  vi.useRealTimers();
});

function target(isTTY: boolean): { chunks: string[]; write(c: string): void; isTTY: boolean; columns: number } {
  const chunks: string[] = [];
  return {
    chunks,
    isTTY,
    columns: 200,
    write(c: string) {
      chunks.push(c);
    },
  };
}

describe('progress', () => {
  it('on a pipe: sent and queued, then only sent once the queue is empty', () => {
    vi.useFakeTimers();
    let now = 0;
    const t = target(false);
    const p = createProgress({ target: t, redact: (s) => s, intervalMs: 1000, now: () => now });
    p.phase('bank-a', 'collecting');
    for (let i = 0; i < 5; i++) p.queued('bank-a');
    p.sent('bank-a');
    now = 3000;
    vi.advanceTimersByTime(1000);
    expect(t.chunks.at(-1)).toBe('  [3 s] bank-a: collecting, 1 request sent, 4 queued\n');
    for (let i = 0; i < 4; i++) p.sent('bank-a');
    vi.advanceTimersByTime(1000);
    expect(t.chunks.at(-1)).toBe('  [3 s] bank-a: collecting, 5 requests sent\n');
    p.stop();
    expect(t.chunks.join('')).not.toMatch(/[\r\u001b]/);
  });

  it('on a terminal: the line is redrawn in place and removed at the end', () => {
    vi.useFakeTimers();
    const t = target(true);
    const p = createProgress({ target: t, redact: (s) => s, now: () => 0 });
    p.phase('bank-a', 'collecting');
    p.queued('bank-a');
    vi.advanceTimersByTime(250);
    expect(t.chunks.join('')).toContain('bank-a: collecting, 0 requests sent, 1 queued');
    p.stop();
    expect(t.chunks.at(-1)).toMatch(/^\r +\r$/);
  });
});
