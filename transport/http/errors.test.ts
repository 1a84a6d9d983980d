import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { classifyError, keepTlsCause } from './errors.js';

const opts = { timedOut: false, timeoutMs: 1000 };
const err = (code: string, message = code, extra: object = {}) => Object.assign(new Error(message), { code }, extra);

describe('classifyError', () => {
  it('our own deadline is a timeout, whatever undici threw', () => {
    expect(classifyError(err('UND_ERR_ABORTED'), { timedOut: true, timeoutMs: 500 })).toEqual({
      kind: 'timeout',
      message: 'no complete response within 500 ms',
    });
  });

  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ECONNREFUSED', 'connection'],
    ['ECONNRESET', 'connection'],
    ['ENOTFOUND', 'connection'],
    ['UND_ERR_SOCKET', 'connection'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['UND_ERR_INVALID_ARG', 'protocol'],
  ])('%s → %s', (code, kind) => {
    expect(classifyError(err(code), opts).kind).toBe(kind);
  });

  it('finds the reason in the cause chain and in AggregateError', () => {
    expect(classifyError(err('UND_ERR_SOCKET', 'other side closed', { cause: err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') }), opts).kind).toBe('tls');
    expect(classifyError(new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')]), opts).kind).toBe('connection');
  });

  it('a handshake the server broke off is tls', () => {
    expect(classifyError(err('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), opts).kind).toBe('tls');
  });

  it('keeps only the reason of an OpenSSL message', () => {
    const failure = classifyError(
      err(
        'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
        '80AC01D1E47F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42',
      ),
      opts,
    );
    expect(failure).toEqual({ kind: 'tls', message: 'TLS failure: sslv3 alert bad certificate (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE)' });
  });

  it('handles things that are not errors', () => {
    expect(classifyError('boom', opts)).toEqual({ kind: 'protocol', message: 'boom' });
  });
});

describe('keepTlsCause', () => {
  it('attaches an earlier TLS alert to the socket error undici reports', () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 0 });
    keepTlsCause(socket, { clientCertificate: false });
    const alert = err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    const closed = err('UND_ERR_SOCKET', 'other side closed');
    socket.emit('error', alert);
    socket.emit('error', closed);
    expect(closed.cause).toBe(alert);
  });

  it('names a refused client certificate when the server hangs up unanswered', () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 0 });
    keepTlsCause(socket, { clientCertificate: true });
    const closed = err('UND_ERR_SOCKET', 'other side closed');
    socket.emit('error', closed);
    expect(classifyError(closed, opts).message).toContain('refused the client certificate');
  });

  it('leaves a connection that had answered before alone', () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 512 });
    keepTlsCause(socket, { clientCertificate: true });
    const closed = err('UND_ERR_SOCKET', 'other side closed');
    socket.emit('error', closed);
    expect(classifyError(closed, opts).kind).toBe('connection');
  });
});
