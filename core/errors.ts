/** A configuration error: exit code 2, one line naming the file and the field. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(field ? `${file}: ${field}: ${detail}` : `${file}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** The message of a caught value: an Error's message, or the value as text (a `throw 'x'` from a library). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The `code` of a caught Node.js system error (`ENOENT`, `EACCES`…), if it has one. */
export function errorCode(e: unknown): string | undefined {
  const code: unknown = e instanceof Error && 'code' in e ? e.code : undefined;
  return typeof code === 'string' ? code : undefined;
}
