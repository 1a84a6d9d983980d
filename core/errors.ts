/** A configuration error: exit code 2, one line naming the file and the field. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly field: string | undefined, detail: string) {
    super(field ? `${file}: ${field}: ${detail}` : `${file}: ${detail}`);
    this.name = 'ConfigError';
  }
}
