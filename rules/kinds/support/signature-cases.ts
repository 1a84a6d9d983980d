// The signature and certificate rejection catalogue (reference case numbers in `ref`):
// each case breaks exactly one thing in an otherwise valid, signed GET of the card-account list.
// The expectation is the standard's; `tolerated` lists answers seen at reference implementations.
import { randomUUID } from 'node:crypto';
import type { BadCertificateId, TestPki } from '../../../transport/pki/generate.js';
import { signWith, type SigningMaterial } from '../../../transport/signing/fault-signer.js';
import { computeDigest } from '../../../transport/signing/digest.js';
import type { HttpRequestRecord } from '../../../core/model.js';
import type { ExpectedAnswer } from './error-cases.js';

export interface SignatureCase {
  /** Rule id and probe suffix, e.g. signature:digest-body-mismatch. */
  id: string;
  /** The reference catalogue's case number(s). */
  ref: string;
  category: 'signature' | 'certificate';
  title: string;
  /** A positive control: a correctly signed request that must be accepted. */
  positive?: boolean;
  expected?: ExpectedAnswer[];
  tolerated?: ExpectedAnswer[];
  /** False where the standard leaves it open: reported, never failing certification. */
  mandatory: boolean;
  /** Needs a certificate from a CA the bank trusts with exactly this fault: only our generated PKI gives one. */
  certificate?: BadCertificateId;
  build(base: HttpRequestRecord, m: SigningMaterial, pki?: TestPki): HttpRequestRecord;
}

const INVALID: ExpectedAnswer[] = [{ status: 401, codes: ['SIGNATURE_INVALID'] }];
const FORMAT: ExpectedAnswer[] = [{ status: 400, codes: ['FORMAT_ERROR'] }];
const CERT_INVALID: ExpectedAnswer[] = [{ status: 401, codes: ['CERTIFICATE_INVALID'] }];
const PSU = 'card-conformance-psu';

const certCase = (
  id: BadCertificateId,
  ref: string,
  title: string,
  expected: ExpectedAnswer[],
  tolerated: ExpectedAnswer[] = [],
  mandatory = true,
): SignatureCase => ({
  id: `certificate:${id}`,
  ref,
  category: 'certificate',
  title,
  expected,
  tolerated,
  mandatory,
  certificate: id,
  build: (base, m, pki) => {
    if (!pki) throw new Error(`the certificate case ${id} needs the test PKI`);
    return signWith(base, m, { certPem: pki.bad[id].certPem, keyPem: pki.bad[id].keyPem });
  },
});

export const SIGNATURE_CASES: SignatureCase[] = [
  // Positive controls run first: a bank that rejects everything must not pass the rest.
  {
    id: 'signature:accepts-signed-get',
    ref: 'P1',
    category: 'signature',
    positive: true,
    mandatory: true,
    title: 'a correctly signed GET (digest of the empty body) is accepted',
    build: (b, m) => signWith(b, m),
  },
  {
    id: 'signature:accepts-sha512-digest',
    ref: 'P2',
    category: 'signature',
    positive: true,
    mandatory: true,
    title: 'a SHA-512 Digest is accepted',
    build: (b, m) => signWith(b, m, { digestAlgorithm: 'SHA-512' }),
  },
  {
    id: 'signature:accepts-signed-psu-id',
    ref: 'P4',
    category: 'signature',
    positive: true,
    mandatory: true,
    title: 'PSU-ID present and signed is accepted',
    build: (b, m) => signWith(b, m, { add: { 'psu-id': PSU } }),
  },
  {
    id: 'signature:accepts-header-order',
    ref: 'P5',
    category: 'signature',
    positive: true,
    mandatory: true,
    title: 'signed headers in another order (signing string in that order) are accepted',
    build: (b, m) => signWith(b, m, { sign: ['x-request-id', 'digest'] }),
  },
  {
    id: 'signature:accepts-rfc2047-psu-id',
    ref: 'P7',
    category: 'signature',
    positive: true,
    mandatory: false,
    title: 'an RFC 2047-encoded non-ASCII PSU-ID, signed as sent, is accepted',
    build: (b, m) => signWith(b, m, { add: { 'psu-id': 'Åse Øvrebø' } }),
  },

  {
    id: 'signature:missing',
    ref: 'S01',
    category: 'signature',
    mandatory: true,
    title: 'a request without Signature is rejected 401 SIGNATURE_MISSING',
    expected: [{ status: 401, codes: ['SIGNATURE_MISSING'] }],
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { signatureHeader: null }),
  },
  {
    id: 'signature:certificate-missing',
    ref: 'S02',
    category: 'signature',
    mandatory: true,
    title: 'a signature without TPP-Signature-Certificate is rejected 401 CERTIFICATE_MISSING',
    expected: [{ status: 401, codes: ['CERTIFICATE_MISSING'] }],
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { certificateHeader: null }),
  },
  {
    id: 'signature:digest-missing',
    ref: 'S03',
    category: 'signature',
    mandatory: true,
    title: 'a signature without Digest is rejected 400 FORMAT_ERROR',
    expected: FORMAT,
    tolerated: INVALID,
    build: (b, m) => signWith(b, m, { digest: null, sign: ['x-request-id'] }),
  },
  {
    id: 'signature:digest-body-mismatch',
    ref: 'S04',
    category: 'signature',
    mandatory: true,
    title: 'a Digest of another body (consistently signed) is rejected 401 SIGNATURE_INVALID',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { digestOver: '{"other":"body"}' }),
  },
  {
    id: 'signature:digest-algorithm',
    ref: 'S06',
    category: 'signature',
    mandatory: true,
    title: 'a Digest with a disallowed algorithm (SHA-384) is rejected 400 FORMAT_ERROR',
    expected: FORMAT,
    tolerated: INVALID,
    build: (b, m) => signWith(b, m, { digest: computeDigest(b.body, 'SHA-384') }),
  },
  {
    id: 'signature:digest-malformed',
    ref: 'S07',
    category: 'signature',
    mandatory: true,
    title: 'a malformed Digest value is rejected 400 FORMAT_ERROR',
    expected: FORMAT,
    tolerated: INVALID,
    build: (b, m) => signWith(b, m, { digest: 'SHA-256=not*base64' }),
  },
  {
    id: 'signature:x-request-id-not-signed',
    ref: 'S08',
    category: 'signature',
    mandatory: true,
    title: 'a signature that does not cover x-request-id is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { sign: ['digest'] }),
  },
  {
    id: 'signature:digest-not-signed',
    ref: 'S09',
    category: 'signature',
    mandatory: true,
    title: 'a signature that does not cover digest is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { sign: ['x-request-id'] }),
  },
  {
    id: 'signature:psu-id-not-signed',
    ref: 'S10a',
    category: 'signature',
    mandatory: true,
    title: 'PSU-ID sent but not signed is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { sign: ['digest', 'x-request-id'], add: { 'psu-id': PSU } }),
  },
  {
    id: 'signature:x-request-id-altered',
    ref: 'S11',
    category: 'signature',
    mandatory: true,
    title: 'X-Request-ID changed after signing is rejected 401 SIGNATURE_INVALID',
    expected: INVALID,
    build: (b, m) =>
      signWith(b, m, {
        after: (h) => {
          h['x-request-id'] = randomUUID();
        },
      }),
  },
  {
    id: 'signature:psu-id-altered',
    ref: 'S12',
    category: 'signature',
    mandatory: true,
    title: 'a signed PSU-ID changed after signing is rejected 401 SIGNATURE_INVALID',
    expected: INVALID,
    build: (b, m) =>
      signWith(b, m, {
        add: { 'psu-id': PSU },
        after: (h) => {
          h['psu-id'] = `${PSU}-2`;
        },
      }),
  },
  {
    id: 'signature:wrong-key',
    ref: 'S13',
    category: 'signature',
    mandatory: true,
    title: "a signature made with another key than the certificate's is rejected",
    expected: INVALID,
    tolerated: CERT_INVALID,
    build: (b, m, pki) => signWith(b, m, { keyPem: pki ? pki.rogueCa.keyPem : undefined, signature: pki ? undefined : (s) => flip(s) }),
  },
  {
    id: 'signature:corrupted',
    ref: 'S14',
    category: 'signature',
    mandatory: true,
    title: 'a corrupted signature value is rejected 401 SIGNATURE_INVALID',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { signature: flip }),
  },
  {
    id: 'signature:algorithm-key-mismatch',
    ref: 'S15',
    category: 'signature',
    mandatory: true,
    title: 'algorithm="hmac-sha256" with an RSA certificate is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { algorithm: 'hmac-sha256' }),
  },
  {
    id: 'signature:rsa-sha1',
    ref: 'S16',
    category: 'signature',
    mandatory: true,
    title: 'a genuine rsa-sha1 signature is rejected (SHA-256/512 only)',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { algorithm: 'rsa-sha1', hash: 'rsa-sha1' }),
  },
  {
    id: 'signature:algorithm-hash-mismatch',
    ref: 'S17',
    category: 'signature',
    mandatory: true,
    title: 'algorithm="rsa-sha512" over a SHA-256 signature is rejected',
    expected: INVALID,
    build: (b, m) => signWith(b, m, { algorithm: 'rsa-sha512', hash: 'rsa-sha256' }),
  },
  {
    id: 'signature:algorithm-missing',
    ref: 'S18',
    category: 'signature',
    mandatory: true,
    title: 'a Signature without algorithm is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { algorithm: null }),
  },
  {
    id: 'signature:keyid-missing',
    ref: 'S19',
    category: 'signature',
    mandatory: true,
    title: 'a Signature without keyId is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { keyId: null }),
  },
  {
    id: 'signature:keyid-serial-mismatch',
    ref: 'S20',
    category: 'signature',
    mandatory: true,
    title: 'a keyId naming another serial number is rejected',
    expected: INVALID,
    tolerated: [...FORMAT, ...CERT_INVALID],
    build: (b, m) => signWith(b, m, { keyId: 'SN=1A2B3C4D5E,CA=CN=Card%20Conformance%20Test%20Root' }),
  },
  {
    id: 'signature:header-syntax',
    ref: 'S23',
    category: 'signature',
    mandatory: true,
    title: 'a Signature header that does not parse is rejected, never with a 5xx',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) =>
      signWith(b, m, {
        signature: (s) => s,
        after: (h) => {
          if (h.signature !== undefined) h.signature = h.signature.replace(/"/g, '');
        },
      }),
  },
  {
    id: 'signature:signs-absent-header',
    ref: 'S24',
    category: 'signature',
    mandatory: true,
    title: 'a headers list naming a header the request lacks is rejected',
    expected: INVALID,
    tolerated: FORMAT,
    build: (b, m) => signWith(b, m, { sign: ['digest', 'x-request-id', 'psu-id'] }),
  },

  {
    id: 'certificate:malformed',
    ref: 'S27',
    category: 'certificate',
    mandatory: true,
    title: 'a TPP-Signature-Certificate that is not a certificate is rejected',
    expected: CERT_INVALID,
    tolerated: [{ status: 401, codes: ['SIGNATURE_INVALID', 'CERTIFICATE_MISSING'] }, ...FORMAT],
    build: (b, m) => signWith(b, m, { certificateHeader: Buffer.from('not a certificate').toString('base64') }),
  },
  certCase('expired', 'S28', 'an expired certificate is rejected 401 CERTIFICATE_EXPIRED', [{ status: 401, codes: ['CERTIFICATE_EXPIRED'] }], CERT_INVALID),
  certCase('not-yet-valid', 'S29', 'a certificate not yet valid is rejected 401 CERTIFICATE_INVALID', CERT_INVALID, [
    { status: 401, codes: ['CERTIFICATE_EXPIRED'] },
  ]),
  certCase('self-signed', 'S30', 'a self-signed certificate is rejected 401 CERTIFICATE_INVALID', CERT_INVALID),
  certCase('rogue-ca', 'S31', 'a certificate from an untrusted CA is rejected 401 CERTIFICATE_INVALID', CERT_INVALID),
  certCase(
    'revoked',
    'S32',
    'a revoked certificate is rejected 401 CERTIFICATE_REVOKED',
    [{ status: 401, codes: ['CERTIFICATE_REVOKED', 'CERTIFICATE_REVOKE'] }],
    CERT_INVALID,
  ),
  certCase('blocked', 'S33', 'a certificate the bank blocked is rejected 401 CERTIFICATE_BLOCKED', [{ status: 401, codes: ['CERTIFICATE_BLOCKED'] }]),
  certCase('no-psd2-statement', 'S34', 'a certificate without the PSD2 QcStatement is rejected 401 CERTIFICATE_INVALID', CERT_INVALID),
  certCase(
    'no-psp-ai',
    'S35',
    'a certificate without the PSP_AI role is rejected 401 ROLE_INVALID on card accounts',
    [{ status: 401, codes: ['ROLE_INVALID'] }],
    [{ status: 403, codes: ['ROLE_INVALID'] }],
  ),
  certCase('key-encipherment-only', 'S37', 'a certificate whose key usage does not allow signing is rejected', CERT_INVALID, [], false),
  certCase('no-organization-identifier', 'S38', 'a certificate without organizationIdentifier is rejected', CERT_INVALID, [], false),
];

/** Changes one character of a Base64 value, keeping it Base64 (so only the crypto check can fail). */
function flip(value: string): string {
  const i = Math.floor(value.length / 2);
  return value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
}

export const signatureProbe = (c: SignatureCase): string => `sig:${c.id}`;
