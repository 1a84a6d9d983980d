// Allure categories: what kind of problem each failure is, so a reader of the nightly report sees
// at once a security hole (a badly signed request accepted) or an exposed card number apart from
// ordinary spec deviations, and an unavailable bank apart from the suite's own errors.
// The same list is written as allure-results/categories.json (the Allure 2 format, which Allure 3's
// reader also takes) and given to the Allure 3 report's `categories` setting. The first match wins.
// Regexes are written so that a whole-message match (Allure 2) and a search (Allure 3) agree.
import { join } from 'node:path';
import { writeRedactedFile, type Redactor } from '../core/redact.js';

export interface AllureCategory {
  name: string;
  description: string;
  matchedStatuses: Array<'failed' | 'broken' | 'skipped' | 'passed' | 'unknown'>;
  messageRegex?: string;
}

const ANY = '[\\s\\S]*';

export const ALLURE_CATEGORIES: AllureCategory[] = [
  {
    name: 'Waived',
    description: 'A failure accepted by a waiver (run --waivers): reason, ticket and expiry in the message.',
    matchedStatuses: ['skipped'],
    messageRegex: `^waived: ${ANY}`,
  },
  {
    name: 'Security: a badly signed request accepted',
    description: 'A rejection-suite request, wrong in one way, was answered 2xx: the bank accepted it.',
    matchedStatuses: ['failed'],
    messageRegex: `${ANY}: answered 2\\d\\d${ANY}`,
  },
  {
    name: 'Masking: a full card number exposed',
    description: 'A maskedPan carries the full card number, unmasked digits, or more digits than PCI DSS allows.',
    matchedStatuses: ['failed'],
    messageRegex: `${ANY}(a full card number|the PAN is not masked|digits are visible)${ANY}`,
  },
  {
    name: 'Bank unavailable',
    description: 'No complete answer: timeout, connection reset, TLS failure, oversize body, rate limiting.',
    matchedStatuses: ['failed', 'broken'],
    messageRegex: `${ANY}: (timeout|connection|tls|too-large|protocol|rate-limited): ${ANY}`,
  },
  {
    name: 'Spec deviation',
    description: 'The bank broke a rule of the spec or profile.',
    matchedStatuses: ['failed'],
  },
  {
    name: 'Suite error',
    description: 'The rule could not be judged (broken): an unparseable body, a request an earlier failure prevented, an error of the suite.',
    matchedStatuses: ['broken'],
  },
];

/** Writes allure-results/categories.json through the run's redactor. */
export function writeAllureCategories(resultsDir: string, redactor: Redactor): void {
  writeRedactedFile(join(resultsDir, 'categories.json'), `${JSON.stringify(ALLURE_CATEGORIES, null, 2)}\n`, redactor);
}

/** The same list in the Allure 3 config's form (compatibility keys, without the descriptions). */
export function allure3Categories(): Array<Omit<AllureCategory, 'description'>> {
  return ALLURE_CATEGORIES.map(({ description: _d, ...rest }) => rest);
}
