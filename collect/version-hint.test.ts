import { describe, expect, it } from 'vitest';
import { versionSegmentHint } from './version-hint.js';

describe('versionSegmentHint', () => {
  it('hints when baseUrl and the spec paths both carry a version', () => {
    expect(versionSegmentHint('https://bank.example/psd2/v1', '/v1/card-accounts')).toBe(
      "baseUrl ends in '/v1' and the spec's paths start with '/v1', so requests go to /psd2/v1/v1/card-accounts; if the bank serves /v1/card-accounts directly under /psd2, drop '/v1' from baseUrl",
    );
    expect(versionSegmentHint('https://bank.example/v2/', '/v1/card-accounts')).toContain("drop '/v2'");
  });
  it('stays quiet otherwise', () => {
    expect(versionSegmentHint('https://bank.example/psd2', '/v1/card-accounts')).toBeUndefined();
    expect(versionSegmentHint('https://bank.example/v1', '/card-accounts')).toBeUndefined();
    expect(versionSegmentHint('https://bank.example/api/version1', '/v1/x')).toBeUndefined();
    expect(versionSegmentHint('not a url', '/v1/x')).toBeUndefined();
  });
});
