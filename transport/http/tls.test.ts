import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { Server, ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limits } from '../../config/types.js';
import { createHttpClient } from './client.js';
import type { HttpClientOptions } from './client.js';
import type { HttpClient } from './types.js';

const LIMITS: Limits = {
  concurrency: 2,
  requestsPerSecond: 0,
  timeoutMs: 3_000,
  retries: 0,
  maxBodyBytes: 64 * 1024,
  maxAccounts: 50,
  maxPages: 50,
  negativeRequests: 12,
};

interface Pem {
  cert: string;
  key: string;
}

/** A self-signed certificate for 127.0.0.1. RSA keys come from node:crypto (fast); forge writes the certificate. */
function selfSigned(commonName: string, purpose: 'serverAuth' | 'clientAuth'): Pem {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const name = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'card-conformance test' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', [purpose]: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}

let serverPem: Pem;
let clientPem: Pem;
let strangerPem: Pem;
const servers: Server[] = [];
const clients: HttpClient[] = [];

async function start(options: ServerOptions): Promise<string> {
  const server = createServer(options, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ clientCn: peer?.subject?.CN ?? null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/card-accounts`;
}

function client(tls: HttpClientOptions['tls']): HttpClient {
  const c = createHttpClient({ limits: LIMITS, tls });
  clients.push(c);
  return c;
}

let plainUrl: string;
let mtlsUrl: string;
let mtls12Url: string;

beforeAll(async () => {
  serverPem = selfSigned('127.0.0.1', 'serverAuth');
  clientPem = selfSigned('tpp-qwac', 'clientAuth');
  strangerPem = selfSigned('someone-else', 'clientAuth');
  plainUrl = await start({ cert: serverPem.cert, key: serverPem.key });
  // The bank asks for a client certificate (QWAC) and trusts only ours.
  const mtls: ServerOptions = { cert: serverPem.cert, key: serverPem.key, ca: clientPem.cert, requestCert: true, rejectUnauthorized: true };
  mtlsUrl = await start(mtls);
  // Under TLS 1.2 the refusal comes during the handshake; under 1.3 only after it.
  mtls12Url = await start({ ...mtls, maxVersion: 'TLSv1.2' });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

const get = (url: string) => ({ method: 'GET', url, headers: {} });

describe('createHttpClient over HTTPS', () => {
  it('rejects a self-signed server certificate as a tls failure', async () => {
    const result = await client(undefined).send(get(plainUrl));
    expect(result.failure?.kind).toBe('tls');
    expect(result.failure?.message).toMatch(/self[- ]signed/i);
    expect(result.response).toBeUndefined();
  });

  it('accepts it when its certificate is given as caPem', async () => {
    const result = await client({ caPem: serverPem.cert }).send(get(plainUrl));
    expect(result.failure).toBeUndefined();
    expect(result.response?.status).toBe(200);
  });

  it('accepts it with rejectUnauthorized: false', async () => {
    const result = await client({ rejectUnauthorized: false }).send(get(plainUrl));
    expect(result.response?.status).toBe(200);
  });

  it('mTLS: presents the client certificate the server requires', async () => {
    const result = await client({ caPem: serverPem.cert, certificatePem: clientPem.cert, keyPem: clientPem.key }).send(get(mtlsUrl));
    expect(result.failure).toBeUndefined();
    expect(JSON.parse(result.response!.body)).toEqual({ clientCn: 'tpp-qwac' });
  });

  it.each([
    // Under 1.3 the alert comes after the handshake, when undici only sees "other side closed".
    ['TLS 1.3', () => mtlsUrl, 'certificate required'],
    ['TLS 1.2', () => mtls12Url, 'handshake failure'],
  ])('mTLS (%s): no client certificate is a tls failure', async (_name, url, reason) => {
    const result = await client({ caPem: serverPem.cert }).send(get(url()));
    expect(result.failure?.kind).toBe('tls');
    expect(result.failure?.message).toContain(reason);
    expect(result.failure?.message).toContain('may require a client certificate');
    expect(result.response).toBeUndefined();
  });

  it('mTLS: a client certificate the server does not trust is a tls failure', async () => {
    const result = await client({ caPem: serverPem.cert, certificatePem: strangerPem.cert, keyPem: strangerPem.key }).send(get(mtlsUrl));
    // Node's server drops the connection without an alert, as some banks' gateways do.
    expect(result.failure?.kind).toBe('tls');
    expect(result.failure?.message).toContain('refused the client certificate');
  });
});
