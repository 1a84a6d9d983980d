// A TLS handshake with the baseUrl host, with the bank file's client certificate and CA:
// tells a certificate or protocol problem apart from an HTTP one before the run starts.
import { isIP } from 'node:net';
import { connect, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { HttpClientOptions } from '../../transport/http/client.js';
import { fail, pass, skip, type CheckLine } from './types.js';

const CHECK = 'TLS handshake';
// Under TLS 1.3 a server refuses a client certificate only after the client's handshake is done.
const CLIENT_CERT_GRACE_MS = 300;
const TCP_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

export async function checkTlsHandshake(baseUrl: string, tls: HttpClientOptions['tls'], timeoutMs: number): Promise<CheckLine> {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') return skip(CHECK, 'not needed: baseUrl is http');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const where = `${host}:${port}`;
  const withClientCertificate = Boolean(tls?.certificatePem && tls.keyPem);

  return new Promise<CheckLine>((resolveResult) => {
    let tcpConnected = false;
    let settled = false;
    let socket: TLSSocket | undefined;
    const done = (result: CheckLine): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolveResult(result);
    };
    const timer = setTimeout(
      () =>
        done(
          tcpConnected
            ? fail(CHECK, `${where}: no TLS answer within ${timeoutMs} ms`)
            : skip(CHECK, `not attempted: no TCP connection to ${where} within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    try {
      socket = connect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }),
        cert: tls?.certificatePem,
        key: tls?.keyPem,
        // Node replaces the public roots when `ca` is set; the bank file's CA is trusted besides them (as transport/http does).
        ca: tls?.caPem ? [...rootCertificates, tls.caPem] : undefined,
        rejectUnauthorized: true,
      });
    } catch (err) {
      done(fail(CHECK, `${where}: ${err instanceof Error ? err.message : String(err)}`, 'tls'));
      return;
    }
    socket.once('connect', () => {
      tcpConnected = true;
    });
    socket.once('secureConnect', () => {
      const s = socket;
      const line = pass(
        CHECK,
        `${where}: ${s.getProtocol() ?? 'TLS'}, server certificate ${describePeer(s.getPeerCertificate())}${withClientCertificate ? ', client certificate sent' : ''}`,
      );
      if (!withClientCertificate) {
        done(line);
        return;
      }
      setTimeout(() => done(line), CLIENT_CERT_GRACE_MS);
    });
    // `on`, not `once`: an error after the verdict (e.g. on destroy) must not go unhandled.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      const code = err.code ?? '';
      if (!tcpConnected && TCP_ERRORS.has(code)) {
        done(skip(CHECK, `not attempted: no TCP connection to ${where} (${code})`));
        return;
      }
      // OpenSSL messages run over several lines with source paths; its `reason` is the readable part.
      // why the cast: Node's TLS errors carry OpenSSL's `reason`; its types do not.
      const reason = (err as { reason?: string }).reason ?? err.message.split('\n')[0] ?? '';
      done(fail(CHECK, `${where}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}${hint(code, err.message, withClientCertificate)}`, 'tls'));
    });
  });
}

function describePeer(cert: PeerCertificate): string {
  const cn = cert.subject?.CN;
  const name = Array.isArray(cn) ? cn.join(', ') : (cn ?? '(no CN)');
  return `CN=${name}, valid until ${cert.valid_to ? new Date(cert.valid_to).toISOString().slice(0, 10) : '?'}`;
}

function hint(code: string, message: string, withClientCertificate: boolean): string {
  if (/wrong version number|packet length too long|http request/i.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return ' (the port does not speak TLS: is baseUrl meant to be http://?)';
  }
  if (/self.signed|unable to (get|verify)|UNABLE_TO|CERT_UNTRUSTED/i.test(`${code} ${message}`))
    return ' (the server certificate is not trusted: give its CA in tls.ca)';
  if (code === 'CERT_HAS_EXPIRED') return " (the bank's server certificate has expired)";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return ' (the server certificate is for another host name)';
  if (/alert|certificate required|bad certificate|unknown ca/i.test(message)) {
    return withClientCertificate
      ? ' (the server refused the client certificate in tls.certificate)'
      : ' (the server may want a client certificate: tls.certificate and tls.key)';
  }
  return '';
}
