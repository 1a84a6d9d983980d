// Reads a file the configuration names, refusing anything that is not a regular file of bounded
// size: `/dev/zero` would grow without end, a named pipe would block forever, a folder is a typo.
// The size is checked before the read and again while reading, so a file that grows in between
// cannot take more than the cap.

import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { ConfigError, errorCode } from '../errors.js';

const MiB = 1024 * 1024;

/** Caps by kind of file; each is far above any real file of its kind. */
export const FILE_CAPS = {
  /** Certificates and keys (a chain of a few certificates is a few KiB). */
  pem: 1 * MiB,
  bankFile: 1 * MiB,
  profile: 1 * MiB,
  /** The complete official NextGenPSD2 OpenAPI file is about 2 MiB. */
  spec: 20 * MiB,
  overlay: 20 * MiB,
} as const;

/** Why a file could not be read, in words that fit after its name. */
export class BoundedReadError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
    readonly code?: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'BoundedReadError';
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a folder, not a file';
  if (stats.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** The errno code of a failed fs call (fs errors are ErrnoExceptions). */
const codeOf = errorCode;

function fsReason(err: unknown): string {
  const code = codeOf(err);
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

export function formatBytes(n: number): string {
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

function checkStats(path: string, stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new BoundedReadError(path, kindOf(stats));
  if (stats.size > maxBytes) throw new BoundedReadError(path, `is ${stats.size} bytes; the limit is ${formatBytes(maxBytes)}`);
}

/** The file's bytes, at most maxBytes of them. Throws BoundedReadError only. */
export function readBoundedBytes(path: string, maxBytes: number): Buffer {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    throw new BoundedReadError(path, fsReason(err), codeOf(err));
  }
  checkStats(path, stats, maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO after the stat, open must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new BoundedReadError(path, fsReason(err), codeOf(err));
  }
  try {
    // The file opened is the one checked now, whatever the path pointed at a moment ago.
    checkStats(path, fstatSync(fd), maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte beyond the cap tells a file that grew after the stat from one that fits.
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1));
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, Math.min(chunk.length, maxBytes + 1 - total), null);
      } catch (err) {
        throw new BoundedReadError(path, fsReason(err), codeOf(err));
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new BoundedReadError(path, `grew beyond the limit of ${formatBytes(maxBytes)} while being read`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The file as UTF-8 text, at most maxBytes long. Throws BoundedReadError only. */
export function readBoundedText(path: string, maxBytes: number): string {
  return readBoundedBytes(path, maxBytes).toString('utf8');
}

export interface ConfigFileRead {
  /** The configuration file (or command) that names the file, for the ConfigError. */
  source: string;
  /** The field (or option) that names it: `signing.key`, `--spec`, `overlays[0]`. */
  field: string | undefined;
  maxBytes: number;
  /** How the path is shown (default: the path itself). */
  shownAs?: string;
}

/** readBoundedText whose failure is a ConfigError naming the configuration file and the field (exit 2). */
export function readConfigFile(path: string, opts: ConfigFileRead): string {
  try {
    return readBoundedText(path, opts.maxBytes);
  } catch (err) {
    if (err instanceof BoundedReadError) throw new ConfigError(opts.source, opts.field, `cannot read ${opts.shownAs ?? path}: ${err.detail}`);
    throw err;
  }
}
