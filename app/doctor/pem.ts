// Reads the PEM files a bank file names. The loader only checked that they exist and carry a
// BEGIN line; here they are parsed, so a wrong file is reported as such before any request.
import type { KeyObject } from 'node:crypto';
import { openPrivateKey } from '../../config/private-key.js';
import { BoundedReadError, FILE_CAPS, readBoundedText } from '../../core/fs/read-bounded.js';
import { tryParseCertificate, type CertificateInfo } from '../../transport/pki/certificate-info.js';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export type Read<T> = { ok: true; value: T } | { ok: false; error: string; passphraseProblem?: boolean };

/** Every certificate in a PEM file, in file order (a leaf first, then any intermediates). */
export function readCertificates(path: string): Read<CertificateInfo[]> {
  let text: string;
  try {
    text = readBoundedText(path, FILE_CAPS.pem);
  } catch (err) {
    if (err instanceof BoundedReadError) return { ok: false, error: `cannot read ${path}: ${err.detail}` };
    throw err;
  }
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, error: `${path} has no CERTIFICATE block` };
  const out: CertificateInfo[] = [];
  for (const [i, block] of blocks.entries()) {
    const parsed = tryParseCertificate(block);
    if (!parsed.ok) return { ok: false, error: `${path}: certificate ${i + 1} does not parse: ${parsed.error}` };
    out.push(parsed.certificate);
  }
  return { ok: true, value: out };
}

export function readPrivateKey(path: string, passphrase?: string): Read<KeyObject> {
  let text: string;
  try {
    text = readBoundedText(path, FILE_CAPS.pem);
  } catch (err) {
    if (err instanceof BoundedReadError) return { ok: false, error: `cannot read ${path}: ${err.detail}` };
    throw err;
  }
  const opened = openPrivateKey(text, passphrase, path);
  if (opened.ok) return { ok: true, value: opened.key };
  return opened.field === 'signing.keyPassphrase' ? { ok: false, error: opened.detail, passphraseProblem: true } : { ok: false, error: opened.detail };
}

/** "CN=…, O=…": the subject or issuer as people read it, most specific first. */
export function describeName(attrs: CertificateInfo['subjectRdns']): string {
  const cn = attrs.find((a) => a.type === 'CN')?.value;
  const o = attrs.find((a) => a.type === 'O')?.value;
  return [cn && `CN=${cn}`, o && `O=${o}`].filter(Boolean).join(', ') || '(empty name)';
}

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
