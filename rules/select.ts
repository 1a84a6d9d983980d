// Paths in the catalogue are JSON pointers with `*` for "every array item":
// `/cardAccounts/*/balances/*/balanceAmount`. These helpers find every concrete instance.

export interface Instance {
  /** The concrete JSON pointer, e.g. /cardAccounts/2/balances/0/balanceAmount. */
  pointer: string;
  value: unknown;
}

export function splitPath(path: string): string[] {
  return path === '' || path === '/'
    ? []
    : path
        .replace(/^\//, '')
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const escapeToken = (t: string): string => t.replace(/~/g, '~0').replace(/\//g, '~1');

// A profile's list selector may keep only some items of an array: `/transactions[status=BOOKED]`
// is the `transactions` array with only the items whose `status` is "BOOKED" (a flat list that
// marks each entry booked or pending). The items keep their real indices in the pointers.
const FILTERED = /^(.+)\[([^=\]]+)=([^\]]*)\]$/;

/** Every value at the path; missing branches are skipped, `*` fans out over arrays. */
export function selectAll(root: unknown, path: string | string[]): Instance[] {
  const segments = typeof path === 'string' ? splitPath(path) : path;
  let current: Instance[] = [{ pointer: '', value: root }];
  for (const seg of segments) {
    const next: Instance[] = [];
    const m = FILTERED.exec(seg);
    // The pattern's three groups always take part in a match; the '' defaults never apply.
    const filter = m && { name: m[1] ?? '', key: m[2] ?? '', wanted: m[3] ?? '' };
    for (const { pointer, value } of current) {
      if (seg === '*') {
        // forEach skips the holes a filtered array leaves, so kept items keep their indices.
        if (Array.isArray(value)) value.forEach((v, i) => next.push({ pointer: `${pointer}/${i}`, value: v }));
      } else if (filter && isRecord(value) && Array.isArray(value[filter.name])) {
        const list: unknown[] = value[filter.name] as unknown[]; // checked just above
        const kept: unknown[] = new Array(list.length);
        list.forEach((item, i) => {
          if (isRecord(item) && item[filter.key] === filter.wanted) kept[i] = item;
        });
        next.push({ pointer: `${pointer}/${escapeToken(filter.name)}`, value: kept });
      } else if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, seg)) {
        next.push({ pointer: `${pointer}/${escapeToken(seg)}`, value: value[seg] });
      }
    }
    current = next;
  }
  return current;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shortens a value for a message, so one finding never carries a whole payload. */
export function preview(v: unknown, max = 60): string {
  const s = typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
