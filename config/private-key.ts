// Opens a PEM private key, encrypted or not, and words every failure for the bank file's
// `signing.keyPassphrase` instead of passing OpenSSL's text on. Decrypted keys stay in memory.

import { createPrivateKey, type KeyObject } from 'node:crypto';

/** PKCS#8 `ENCRYPTED PRIVATE KEY`, or a legacy PEM with `Proc-Type: 4,ENCRYPTED`. */
export function isEncryptedPem(pem: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

export type OpenedKey = { ok: true; key: KeyObject } | { ok: false; field: 'signing.keyPassphrase' | 'signing.key'; detail: string };

/** The key object; `field` says which bank-file field is at fault when it cannot be opened. */
export function openPrivateKey(pem: string, passphrase: string | undefined, shownAs: string): OpenedKey {
  const encrypted = isEncryptedPem(pem);
  if (encrypted && passphrase === undefined) {
    return { ok: false, field: 'signing.keyPassphrase', detail: `${shownAs} is encrypted; give its passphrase as signing.keyPassphrase: "\${VARIABLE}"` };
  }
  try {
    return { ok: true, key: createPrivateKey(encrypted ? { key: pem, passphrase } : pem) };
  } catch {
    // OpenSSL's text ("bad decrypt", "error:1C800064…") helps nobody; the cause is known here.
    return encrypted
      ? { ok: false, field: 'signing.keyPassphrase', detail: `does not decrypt ${shownAs} (wrong passphrase)` }
      : { ok: false, field: 'signing.key', detail: `${shownAs} is not a usable private key` };
  }
}

/** The key as unencrypted PKCS#8 PEM, in memory only, for signers that take PEM text. */
export function decryptedKeyPem(pem: string, passphrase: string | undefined, shownAs: string): { ok: true; pem: string } | Extract<OpenedKey, { ok: false }> {
  if (!isEncryptedPem(pem)) return { ok: true, pem };
  const opened = openPrivateKey(pem, passphrase, shownAs);
  if (!opened.ok) return opened;
  return { ok: true, pem: opened.key.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
