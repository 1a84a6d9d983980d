import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { connect } from 'node:net';
import forge from 'node-forge';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startReferenceBank } from './index.js';
import { call, cardHeaders, createConsent, requestId } from './test-client.js';
import type { IncomingRequestInfo, ResponseMutation } from './types.js';

const TODAY = '2026-11-20';

describe('response mutations', () => {
  it('apply: changes the structured response of the operations it targets, on a private copy', async () => {
    const seen: string[] = [];
    const amountAsNumber: ResponseMutation = {
      id: 'amount-as-number',
      apply: ({ operationId, response }) => {
        seen.push(operationId);
        if (operationId !== 'getCardAccountBalances') return;
        const body = response.body as { balances: { balanceAmount: { amount: unknown } }[] };
        for (const b of body.balances) b.balanceAmount.amount = Number(b.balanceAmount.amount);
      },
    };
    const bank = await startReferenceBank({ today: TODAY, mutations: [amountAsNumber] });
    try {
      const consent = await createConsent(bank.baseUrl);
      const list = (await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consent) })).json as {
        cardAccounts: { resourceId: string; balances: { balanceAmount: { amount: unknown } }[] }[];
      };
      const id = encodeURIComponent(list.cardAccounts[0]!.resourceId);
      for (let i = 0; i < 2; i++) {
        const balances = (await call(bank.baseUrl, 'GET', `/v1/card-accounts/${id}/balances`, { headers: cardHeaders(consent) })).json as {
          balances: { balanceAmount: { amount: unknown } }[];
        };
        expect(typeof balances.balances[0]!.balanceAmount.amount).toBe('number');
      }
      // The list is untouched, and the stored data was not changed by the mutation.
      expect(typeof list.cardAccounts[0]!.balances[0]!.balanceAmount.amount).toBe('string');
      expect(seen).toContain('createConsent');
      expect(seen).toContain('getConsentStatus');
      expect(seen).toContain('getCardAccountList');
    } finally {
      await bank.close();
    }
  });

  it('apply: may return a replacement response', async () => {
    const bank = await startReferenceBank({
      today: TODAY,
      mutations: [{ id: 'always-teapot', apply: () => ({ status: 418, headers: { 'content-type': 'application/json' }, body: { tea: true } }) }],
    });
    try {
      const reply = await call(bank.baseUrl, 'GET', '/anything');
      expect(reply.status).toBe(418);
      expect(reply.json).toEqual({ tea: true });
    } finally {
      await bank.close();
    }
  });

  it('raw: changes the serialised text, headers and status after JSON.stringify', async () => {
    const bank = await startReferenceBank({
      today: TODAY,
      mutations: [
        { id: 'exact-number-text', raw: ({ raw }) => ({ ...raw, bodyText: raw.bodyText.replace(/"amount":"(-?[0-9.]+)"/g, '"amount":$1') }) },
        {
          id: 'html-errors',
          raw: ({ raw }) => (raw.status >= 400 ? { status: raw.status, headers: { 'content-type': 'text/html' }, bodyText: '<html>oops</html>' } : undefined),
        },
      ],
    });
    try {
      const consent = await createConsent(bank.baseUrl);
      const list = await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consent) });
      expect(list.text).toMatch(/"amount":-?\d+\.\d\d[,}]/);
      expect(list.text).toContain('"amount":80000.00'); // the exact text, not what JSON.stringify would make of a number
      const error = await call(bank.baseUrl, 'GET', '/nowhere');
      expect(error.status).toBe(404);
      expect(error.headers['content-type']).toBe('text/html');
      expect(error.text).toBe('<html>oops</html>');
    } finally {
      await bank.close();
    }
  });

  it('mutateData: changes the generated data once at start-up', async () => {
    const bank = await startReferenceBank({
      today: TODAY,
      mutations: [
        {
          id: 'long-pan',
          mutateData: (data) => {
            data.accounts[0]!.maskedPan = '1234 56xx xxxx 1234 567';
          },
        },
      ],
    });
    try {
      const consent = await createConsent(bank.baseUrl);
      const list = (await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consent) })).json as { cardAccounts: { maskedPan: string }[] };
      expect(list.cardAccounts[0]!.maskedPan).toBe('1234 56xx xxxx 1234 567');
    } finally {
      await bank.close();
    }
  });

  it('a throwing mutation costs that request a 500, not the server', async () => {
    let calls = 0;
    const bank = await startReferenceBank({
      today: TODAY,
      mutations: [
        {
          id: 'flaky',
          apply: () => {
            if (calls++ === 0) throw new Error('boom');
          },
        },
      ],
    });
    try {
      expect((await call(bank.baseUrl, 'GET', '/x')).status).toBe(500);
      expect((await call(bank.baseUrl, 'GET', '/x')).status).toBe(404);
    } finally {
      await bank.close();
    }
  });
});

describe('request guard', () => {
  it('sees the request as received and can refuse it before routing', async () => {
    const seen: IncomingRequestInfo[] = [];
    const bank = await startReferenceBank({
      today: TODAY,
      requestGuard: (req) => {
        seen.push(req);
        if (req.headers.signature === undefined && req.method !== 'POST')
          return { status: 401, code: 'SIGNATURE_MISSING', text: 'The Signature header is missing' };
        return undefined;
      },
    });
    try {
      expect(typeof (await createConsent(bank.baseUrl, undefined, false))).toBe('string'); // the guard lets POSTs through
      const rid = requestId();
      const refused = await call(bank.baseUrl, 'GET', '/v1/card-accounts?x=1', { headers: { 'x-request-id': rid, 'X-Custom': 'A' } });
      expect(refused.status).toBe(401);
      expect(refused.headers['x-request-id']).toBe(rid);
      expect(refused.json).toEqual({ tppMessages: [{ category: 'ERROR', code: 'SIGNATURE_MISSING', text: 'The Signature header is missing' }] });
      // Before routing: an unknown path gets the guard's answer too.
      expect((await call(bank.baseUrl, 'GET', '/unknown')).status).toBe(401);
      const last = seen.find((r) => r.path === '/v1/card-accounts?x=1')!;
      expect(last.method).toBe('GET');
      expect(last.headers['x-custom']).toBe('A');
      const post = seen.find((r) => r.method === 'POST')!;
      expect(JSON.parse(post.body.toString('utf8'))).toMatchObject({ recurringIndicator: true });
      expect(post.clientCertificatePem).toBeUndefined();

      // Header names that are also Object.prototype names arrive as plain headers; repeats are joined.
      await new Promise<void>((resolve) => {
        const url = new URL(bank.baseUrl);
        const socket = connect(Number(url.port), url.hostname, () =>
          socket.end('GET /odd HTTP/1.1\r\nHost: x\r\n__proto__: p\r\nconstructor: c\r\nX-Twice: 1\r\nX-Twice: 2\r\n\r\n'),
        );
        socket.on('data', () => {});
        socket.on('close', () => resolve());
      });
      const odd = seen.find((r) => r.path === '/odd')!;
      expect(Object.getPrototypeOf(odd.headers)).toBe(Object.prototype);
      expect(Object.hasOwn(odd.headers, '__proto__') && odd.headers['__proto__' as string]).toBe('p');
      expect(odd.headers.constructor).toBe('c');
      expect(odd.headers['x-twice']).toBe('1, 2');
    } finally {
      await bank.close();
    }
  });
});

/** A self-signed RSA certificate for tests. */
function selfSigned(cn: string): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0a1b2c';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: cn }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

describe('TLS', () => {
  it('serves HTTPS and hands the client certificate to the guard (mTLS)', async () => {
    const server = selfSigned('reference bank');
    const client = selfSigned('test TPP');
    const certs: (string | undefined)[] = [];
    const bank = await startReferenceBank({
      today: TODAY,
      tls: { ...server, requestClientCert: true },
      requestGuard: (req) => {
        certs.push(req.clientCertificatePem);
        return undefined;
      },
    });
    const agent = new Agent({ connect: { ca: server.certPem, cert: client.certPem, key: client.keyPem } });
    try {
      expect(bank.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${bank.baseUrl}/v1/card-accounts`, { dispatcher: agent, headers: { 'x-request-id': requestId(), 'consent-id': 'x' } });
      expect(res.statusCode).toBe(403);
      await res.body.text();
      expect(certs).toHaveLength(1);
      expect(new X509Certificate(certs[0]!).fingerprint256).toBe(new X509Certificate(client.certPem).fingerprint256);
    } finally {
      await agent.close();
      await bank.close();
    }
  });
});
