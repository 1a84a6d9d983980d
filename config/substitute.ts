// `${NAME}` substitution in the string values of a parsed bank file.
// Runs before validation so that every field may come from the environment,
// and records each substituted value as a secret (docs/architecture.md "Redaction": secrets never reach any output).

export interface SubstitutionResult {
  value: unknown;
  /** Every non-empty value read from the environment. */
  secrets: string[];
  /** Field paths (e.g. "limits.timeoutMs") whose whole value was one placeholder. */
  whollySubstituted: Set<string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Field path in the form used by error messages: `consent.id`, `headers.x-foo`, `list[2]`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

export class SubstitutionError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Replaces `${NAME}` in one string. `$${` is a literal `${` (as in docker-compose),
 * so a value that really contains `${` can still be written.
 */
export function substituteString(text: string, env: NodeJS.ProcessEnv, path: string, secrets: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, at);
    if (text.startsWith('$${', at)) {
      out += '${';
      i = at + 3;
      continue;
    }
    if (text[at + 1] !== '{') {
      out += '$';
      i = at + 1;
      continue;
    }
    const close = text.indexOf('}', at + 2);
    const name = close < 0 ? '' : text.slice(at + 2, close);
    if (close < 0 || !NAME.test(name)) {
      const shown = close < 0 ? text.slice(at, at + 20) : text.slice(at, close + 1);
      throw new SubstitutionError(path, `malformed placeholder '${shown}' (write \${NAME}, or $\${ for a literal \${)`);
    }
    const value = env[name];
    if (value === undefined) throw new SubstitutionError(path, `environment variable ${name} is not set`);
    if (value !== '' && !secrets.includes(value)) secrets.push(value);
    out += value;
    i = close + 1;
  }
  return out;
}

/** Walks a parsed YAML value and substitutes placeholders in every string (keys are left alone). */
export function substituteEnv(root: unknown, env: NodeJS.ProcessEnv): SubstitutionResult {
  const secrets: string[] = [];
  const whollySubstituted = new Set<string>();
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      const result = substituteString(value, env, path, secrets);
      if (/^\$\{[^}]*\}$/.test(value)) whollySubstituted.add(path);
      return result;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, joinPath(path, i)));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, joinPath(path, k));
      return out;
    }
    return value;
  };
  return { value: walk(root, ''), secrets, whollySubstituted };
}
