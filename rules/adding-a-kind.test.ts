// Adding a rule kind is one file and one registry line (docs/architecture.md, "Adding a rule kind"). This
// writes the documented example, "an account reference's IBAN is valid", as that one file would, hands the
// generator the registry with it appended, and shows its rules appear at every IBAN of the spec with
// nothing else changed.
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../config/profile.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { buildCatalogue } from './catalogue/generate.js';
import { defineKind, perExchange } from './kind.js';
import { REGISTERED } from './registry.js';
import { selectAll } from './select.js';
import { exchange, testKind } from './testing.js';

// ---- rules/kinds/iban.ts would hold this ----
interface IbanParams {
  path: string;
}

/** ISO 13616: the check digits make the rearranged number 1 modulo 97. */
const ibanValid = (iban: string): boolean => {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return digits.split('').reduce((rest, d) => (rest * 10 + Number(d)) % 97, 0) === 1;
};

const iban = defineKind<IbanParams>({
  kind: 'iban',
  category: 'schema',
  severity: 'major',
  idPattern: '{operationId}:{path}:iban',
  docs: { description: 'An IBAN has valid ISO 13616 check digits.', specRef: 'ISO 13616; Berlin Group accountReference.iban' },
  needs: 'json-body',
  applies: {
    node: ({ op, node, specRef }) =>
      node.name !== 'iban'
        ? []
        : [
            {
              id: `${op.operationId}:${node.path}:iban`,
              title: `${node.path} is a valid IBAN`,
              specRef: specRef(node.flat.location),
              params: { path: node.path },
            },
          ],
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const found = selectAll(ex.json, input.params.path);
      for (const { pointer, value } of found)
        if (typeof value !== 'string' || !ibanValid(value)) push({ instancePath: pointer, message: `${String(value)} at ${pointer} is not a valid IBAN` });
      return found.length;
    }),
});
// ---- end of rules/kinds/iban.ts; rules/registry.ts gets `iban,` in REGISTERED ----

testKind(iban, {
  valid: [{ name: 'a Norwegian IBAN', params: { path: '/account/iban' }, exchanges: [exchange({ account: { iban: 'NO9386011117947' } })] }],
  invalid: [
    {
      name: 'a check digit off by one',
      params: { path: '/account/iban' },
      exchanges: [exchange({ account: { iban: 'NO9486011117947' } })],
      errors: ['NO9486011117947 at /account/iban is not a valid IBAN'],
    },
  ],
});

describe('adding a kind', () => {
  const profile = loadProfile('berlin-group');
  const spec = loadSpecDocument(profile.spec);
  const before = buildCatalogue(spec, profile);
  const after = buildCatalogue(spec, profile, { kinds: [...REGISTERED, iban] });

  it('gives its rules wherever the spec declares an IBAN, and changes no other rule', () => {
    const added = after.rules.filter((r) => r.kind === 'iban');
    expect(added.map((r) => r.id)).toEqual(
      expect.arrayContaining(['getCardAccountBalances:/cardAccount/iban:iban', 'getConsentInformation:/access/accounts/*/iban:iban']),
    );
    expect(added.every((r) => r.category === 'schema' && r.severity === 'major' && r.mandatory)).toBe(true);
    expect(after.rules.filter((r) => r.kind !== 'iban')).toEqual(before.rules);
  });
});
