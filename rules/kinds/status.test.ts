import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { contentType, mediaTypeOf } from './content-type.js';
import { status } from './status.js';
import { xRequestId } from './x-request-id.js';

describe('status', () => {
  it('passes the declared success status', () => {
    expect(run(status, { expected: [200] }, [exchange({}, { status: 200 })]).violations).toHaveLength(0);
  });
  it('fails any other', () => {
    expect(run(status, { expected: [201] }, [exchange({}, { status: 200 })]).violations[0]!.message).toContain('answered 200; the spec expects 201');
  });
});

describe('content-type', () => {
  it('accepts parameters and case variants (negative control H7)', () => {
    expect(
      run(contentType, { mediaTypes: ['application/json'] }, [exchange({}, { headers: { 'content-type': 'Application/JSON; charset=utf-8' } })]).violations,
    ).toHaveLength(0);
  });
  it('flags another media type or none', () => {
    expect(run(contentType, { mediaTypes: ['application/json'] }, [exchange('<html/>', { headers: { 'content-type': 'text/html' } })]).violations).toHaveLength(
      1,
    );
    expect(run(contentType, { mediaTypes: ['application/json'] }, [exchange({}, { headers: { 'content-type': '' } })]).violations).toHaveLength(1);
  });
  it('parses media types', () => expect(mediaTypeOf(' application/json ;charset=UTF-8')).toBe('application/json'));
});

describe('x-request-id', () => {
  const id = '2f3c9ab0-1111-4222-8333-444455556666';
  it('passes when echoed (any case of the header name is normalised by the client)', () => {
    expect(run(xRequestId, {}, [exchange({}, { headers: { 'x-request-id': id.toUpperCase() } })]).violations).toHaveLength(0);
  });
  it('fails when missing or different', () => {
    expect(run(xRequestId, {}, [exchange({})]).violations[0]!.message).toContain('not echoed');
    expect(run(xRequestId, {}, [exchange({}, { headers: { 'x-request-id': 'other' } })]).violations).toHaveLength(1);
  });
});

testKind(status, {
  valid: [{ name: 'the declared success status', params: { expected: [200] }, exchanges: [exchange({}, { status: 200 })] }],
  invalid: [
    { name: 'another status', params: { expected: [201] }, exchanges: [exchange({}, { status: 200 })], errors: ['answered 200; the spec expects 201'] },
  ],
});
