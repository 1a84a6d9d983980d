// The zero-false-positive proof covers every rule: a clean run against the reference bank must
// judge every rule of its profile, none left `skipped` for want of data. The few rules of the
// bits-no catalogue no reference bank can exercise are named here, each with the reason.
import { describe, expect, it } from 'vitest';
import { problems, runEngine } from '../fixtures/engine-run.js';

/**
 * bits-no rules no single bank of this kind can exercise: the overlay gives every link name of
 * the spec a `verbs` enum, and these links belong to flows or resources a card-account bank
 * with the redirect approach does not have.
 */
const BITS_NO_UNREACHABLE_LINKS: Record<string, string> = {
  // Explicit-start, embedded, decoupled and OAuth flows: a redirect bank that starts the
  // authorisation implicitly sends scaRedirect, self and status instead (they exclude each other).
  'createConsent:/_links/confirmation/verbs/*:enum': 'authorisation confirmation link of the explicit-start flow',
  'createConsent:/_links/scaOAuth/verbs/*:enum': 'OAuth2 SCA approach only',
  'createConsent:/_links/scaStatus/verbs/*:enum': 'authorisation sub-resource of the explicit-start flow',
  'createConsent:/_links/startAuthorisation/verbs/*:enum': 'explicit-start flow only',
  'createConsent:/_links/startAuthorisationWithAuthenticationMethodSelection/verbs/*:enum': 'embedded approach only',
  'createConsent:/_links/startAuthorisationWithEncryptedPsuAuthentication/verbs/*:enum': 'embedded approach only',
  'createConsent:/_links/startAuthorisationWithPsuAuthentication/verbs/*:enum': 'embedded approach only',
  'createConsent:/_links/startAuthorisationWithPsuIdentification/verbs/*:enum': 'embedded/decoupled approach only',
  'createConsent:/_links/startAuthorisationWithTransactionAuthorisation/verbs/*:enum': 'embedded approach only',
  // Resources outside the card-account API.
  'getConsentInformation:/_links/account/verbs/*:enum': 'links the /v1/accounts list of the account (not card) service',
  'getCardAccountTransactionList:/cardTransactions/_links/card/verbs/*:enum': 'links a single card (/v1/cards, the Single Cards extension)',
};

// Each such link is { href, verbs } with both required (SR-Bank's page): its two required-field rules are as unreachable.
const BITS_NO_UNREACHABLE: Record<string, string> = Object.fromEntries(
  Object.entries(BITS_NO_UNREACHABLE_LINKS).flatMap(([id, why]) => {
    const link = id.replace(/\/verbs\/\*:enum$/, '');
    return [
      [id, why],
      [`${link}/href:required`, why],
      [`${link}/verbs:required`, why],
    ];
  }),
);

describe('a clean run against the reference bank judges every rule', () => {
  it.each([
    ['berlin-group', {}],
    ['bits-no', BITS_NO_UNREACHABLE],
    ['handelsbanken', {}],
  ] as const)('%s', async (profile, unreachable) => {
    const run = await runEngine(profile, { today: '2026-11-20' });
    expect(problems(run.results)).toEqual([]);
    const skipped = run.results
      .filter((r) => r.status === 'skipped')
      // The rejection suite runs only where signing is mandated; that is a choice of the profile, not missing data.
      .filter((r) => r.rule.category !== 'signature' && r.rule.category !== 'certificate')
      .map((r) => r.rule.id)
      .sort();
    expect(skipped).toEqual(Object.keys(unreachable).sort());
  });
});
