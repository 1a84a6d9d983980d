// Writes a generated test PKI to a folder: `card-conformance pki --out DIR`.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BAD_CERTIFICATE_IDS, type PkiEntry, type TestPki, generateTestPki } from './generate.js';

interface FileSpec {
  path: string;
  content: string;
  secret: boolean;
}

function entryFiles(base: string, entry: PkiEntry): FileSpec[] {
  return [
    { path: `${base}.pem`, content: entry.certPem, secret: false },
    { path: `${base}.key`, content: entry.keyPem, secret: true },
  ];
}

function readme(pki: TestPki): string {
  const row = (file: string, what: string): string => `| \`${file}\` | ${what} |`;
  const lines = [
    '# Test PKI (card-conformance)',
    '',
    `Generated ${pki.createdAt}. Test material only: never use these keys for anything real.`,
    `TPP: "${pki.tppName}", organizationIdentifier ${pki.organizationIdentifier}, NCA Finanstilsynet / NO-FSA.`,
    'Each `.pem` is a certificate; the `.key` beside it is its PKCS#8 private key.',
    '',
    '| File | What it is |',
    '|---|---|',
    row('root-ca.pem', 'Test root CA (basicConstraints cA, keyCertSign+cRLSign). The sandbox trusts it.'),
    row('rogue-ca.pem', 'An untrusted CA; issued `bad/rogue-ca.pem`.'),
    row('qseal.pem', 'Valid QSealC: QcCompliance, QcType eseal, PSD2 roles PSP_AI+PSP_PI. Sign requests with it.'),
    row('qwac.pem', 'QWAC for mTLS: QcType web, EKU serverAuth+clientAuth, SAN localhost / 127.0.0.1.'),
    row('server.pem', 'HTTPS certificate for the sandbox (SAN localhost / 127.0.0.1).'),
    row('revoked-serials.txt', 'Serials the sandbox treats as revoked (one per line, lower-case hex).'),
    row('blocked-serials.txt', 'Serials the sandbox treats as blocked by the bank.'),
    '',
    '## Certificates with one fault each (`bad/`)',
    '',
    'All issued by the root CA unless the fault says otherwise; they share one key pair.',
    '',
    '| File | Fault | Reference bank answers |',
    '|---|---|---|',
    ...BAD_CERTIFICATE_IDS.map((id) => {
      const bad = pki.bad[id];
      const verdict = bad.expected === 'accepted' ? 'accepted' : `${bad.expected.status} ${bad.expected.code}`;
      return `| \`bad/${id}.pem\` | ${bad.fault} | ${verdict} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** Writes the PEM files, the serial lists and a README.md; returns the paths written. */
export async function writePki(pki: TestPki, dir: string): Promise<string[]> {
  const files: FileSpec[] = [
    ...entryFiles('root-ca', pki.root),
    ...entryFiles('rogue-ca', pki.rogueCa),
    ...entryFiles('qseal', pki.qseal),
    ...entryFiles('qwac', pki.qwac),
    ...entryFiles('server', pki.server),
    ...BAD_CERTIFICATE_IDS.flatMap((id) => entryFiles(join('bad', id), pki.bad[id])),
    { path: 'revoked-serials.txt', content: pki.revokedSerials.join('\n') + '\n', secret: false },
    { path: 'blocked-serials.txt', content: pki.blockedSerials.join('\n') + '\n', secret: false },
    { path: 'README.md', content: readme(pki), secret: false },
  ];
  await mkdir(join(dir, 'bad'), { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    await writeFile(path, f.content, { mode: f.secret ? 0o600 : 0o644 });
    // writeFile's mode applies only to new files; keys overwritten in place must be private too.
    if (f.secret) await chmod(path, 0o600);
    written.push(path);
  }
  return written;
}

/** `card-conformance pki --out DIR`: generate a fresh test PKI and write it. */
export async function runPkiCommand(outDir: string): Promise<void> {
  const written = await writePki(generateTestPki(), outDir);
  process.stdout.write(`card-conformance pki: wrote ${written.length} files to ${outDir} (see README.md there)\n`);
}
