// Reads a findings.json that may hold one bank or several (the combined file a multi-bank run
// writes), as one FindingsFile per bank, so a baseline or a diff can match banks by id.
// A file that cannot be used is a ConfigError naming the file (exit 2, before anything is sent).

import { readFileSync } from 'node:fs';
import { ConfigError } from '../lib/config/types.js';
import type { Finding, FindingsFile } from '../lib/model.js';
import { findingsFromData } from './findings.js';

interface CombinedShape {
  tool?: FindingsFile['tool'];
  spec?: FindingsFile['spec'];
  startedAt?: string;
  finishedAt?: string;
  interrupted?: boolean;
  banks: { id: string; profile: string; baseUrl: string }[];
  results: (Finding & { bankId?: string })[];
}

/** Every bank's findings in `path` (one for a per-bank file, several for a combined one). */
export function readFindingsSet(path: string, flag: string): FindingsFile[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(flag, undefined, `${path}: ${code ? `cannot read (${code})` : `not valid JSON (${(e as Error).message})`}`);
  }
  const combined = data as Partial<CombinedShape> | null;
  if (combined && typeof combined === 'object' && Array.isArray(combined.banks) && Array.isArray(combined.results)) {
    return combined.banks.map((bank, i) => {
      if (!bank || typeof bank.id !== 'string') throw new ConfigError(flag, undefined, `${path}: banks[${i}]: no "id"`);
      const results = combined.results!.filter((r) => r && r.bankId === bank.id).map(({ bankId: _bankId, ...r }) => r);
      return checked(path, flag, { tool: combined.tool, spec: combined.spec, bank, startedAt: combined.startedAt, finishedAt: combined.finishedAt, ...(combined.interrupted ? { interrupted: true } : {}), results });
    });
  }
  return [checked(path, flag, data)];
}

function checked(path: string, flag: string, data: unknown): FindingsFile {
  try {
    return findingsFromData(path, data);
  } catch (e) {
    throw new ConfigError(flag, undefined, (e as Error).message);
  }
}

/** Pairs each current bank with the baseline bank of the same id (banks only on one side are left out). */
export function matchBanks(base: FindingsFile[], current: FindingsFile[]): { base: FindingsFile; current: FindingsFile }[] {
  // One bank on each side: compared even when the ids differ (a renamed bank file), as before.
  if (base.length === 1 && current.length === 1) return [{ base: base[0]!, current: current[0]! }];
  return current.flatMap((c) => {
    const b = base.find((x) => x.bank.id === c.bank.id);
    return b ? [{ base: b, current: c }] : [];
  });
}
