// `run --shard i/n`: one CI job of n runs a deterministic share of the bank files: the banks
// sorted by id, every n-th starting at the i-th. Every job loads every bank file (so a broken one
// fails every shard alike, before anything is sent) and keeps its own share.
import { ConfigError } from '../../config/types.js';

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new ConfigError('--shard', undefined, `'${text}' is not i/n with 1 ≤ i ≤ n (e.g. 2/3)`);
  return { index, total };
}

/** The share of `items` (by id, code-point order) that shard i/n runs. */
export function selectShard<T>(items: T[], idOf: (t: T) => string, shard: Shard): T[] {
  const sorted = [...items].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  return sorted.filter((_, k) => k % shard.total === shard.index - 1);
}
