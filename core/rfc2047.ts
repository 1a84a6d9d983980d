// RFC 2047 encoded-words for non-ASCII header values (the project's BITS rule):
// undici sends U+0080–U+00FF as single Latin-1 bytes and refuses anything above, so such values
// travel as `=?utf-8?B?…?=`, and that encoded text is what gets signed.

/** True when a value cannot travel as plain visible ASCII (tab allowed). */
export function needsEncoding(value: string): boolean {
  return /[^\t\x20-\x7e]/.test(value);
}

/** The value as one `=?utf-8?B?…?=` word when it needs encoding, else unchanged. */
export function encodeHeaderValue(value: string): string {
  if (!needsEncoding(value)) return value;
  return `=?utf-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

const WORD_RE = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function decodeWord(charset: string, encoding: string, text: string): string | undefined {
  const cs = charset.toLowerCase().split('*')[0];
  let bytes: Buffer;
  if (encoding.toUpperCase() === 'B') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
    bytes = Buffer.from(text, 'base64');
  } else {
    const q = text.replace(/_/g, ' ');
    const out: number[] = [];
    for (let i = 0; i < q.length; i++) {
      if (q[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(q.slice(i + 1, i + 3))) {
        out.push(parseInt(q.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(q.charCodeAt(i) & 0xff);
    }
    bytes = Buffer.from(out);
  }
  if (cs === 'utf-8' || cs === 'utf8') return bytes.toString('utf8');
  if (cs === 'iso-8859-1' || cs === 'latin1' || cs === 'us-ascii') return bytes.toString('latin1');
  return undefined;
}

/**
 * Decodes encoded-words (B or Q; UTF-8, ISO-8859-1, US-ASCII). Whitespace between adjacent words
 * is dropped (RFC 2047 §6.2); words in unknown charsets are left as they are.
 */
export function decodeHeaderValue(value: string): string {
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(WORD_RE, (word, charset: string, enc: string, text: string) => decodeWord(charset, enc, text) ?? word);
}
