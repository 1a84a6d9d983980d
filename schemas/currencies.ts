import cc from 'currency-codes';

export type CurrencyStatus = 'iso' | 'historic' | 'non-iso' | 'unknown';

export interface CurrencyInfo {
  code: string;
  status: CurrencyStatus;
  /** ISO 4217 minor units (fraction digits); undefined when not known. */
  digits?: number;
  name?: string;
}

/**
 * Codes that appear in bank currency enums but are not on the current ISO 4217 list
 * (the currency-codes package carries only current ISO 4217 codes). Historic codes were withdrawn; the
 * non-ISO ones are local issues or micronation money that ISO never listed.
 */
const EXTRA: Record<string, { status: 'historic' | 'non-iso'; digits: number; name: string; note: string }> = {
  BYR: { status: 'historic', digits: 0, name: 'Belarusian ruble (2000)', note: 'withdrawn 2016, replaced by BYN' },
  MRO: { status: 'historic', digits: 2, name: 'Mauritanian ouguiya (1973)', note: 'withdrawn 2018, replaced by MRU' },
  STD: { status: 'historic', digits: 2, name: 'São Tomé and Príncipe dobra (1977)', note: 'withdrawn 2018, replaced by STN' },
  VEF: { status: 'historic', digits: 2, name: 'Venezuelan bolívar fuerte', note: 'withdrawn 2018, replaced by VES' },
  ZWD: { status: 'historic', digits: 2, name: 'Zimbabwean dollar (1980)', note: 'withdrawn, replaced by ZWL and then ZWG' },
  HRK: { status: 'historic', digits: 2, name: 'Croatian kuna', note: 'withdrawn 2023, replaced by EUR' },
  SLL: { status: 'historic', digits: 2, name: 'Sierra Leonean leone (1964)', note: 'withdrawn, replaced by SLE' },
  GGP: { status: 'non-iso', digits: 2, name: 'Guernsey pound', note: 'a local issue of GBP, not an ISO 4217 code' },
  IMP: { status: 'non-iso', digits: 2, name: 'Manx pound', note: 'a local issue of GBP, not an ISO 4217 code' },
  JEP: { status: 'non-iso', digits: 2, name: 'Jersey pound', note: 'a local issue of GBP, not an ISO 4217 code' },
  TVD: { status: 'non-iso', digits: 2, name: 'Tuvaluan dollar', note: 'pegged to AUD, not an ISO 4217 code' },
  SPL: { status: 'non-iso', digits: 2, name: 'Seborga luigino', note: 'micronation money, not an ISO 4217 code' },
};

const known = new Map<string, CurrencyInfo>();

/** What ISO 4217 says of a code; looked up once per code (the list is searched item by item). Callers never change the answer. */
export function currencyInfo(code: string): CurrencyInfo {
  let info = known.get(code);
  if (!info) {
    info = lookUp(code);
    // Only codes of the right shape are remembered: a bank cannot grow the map with arbitrary strings.
    if (/^[A-Z]{3}$/.test(code)) known.set(code, info);
  }
  return info;
}

function lookUp(code: string): CurrencyInfo {
  const iso = cc.code(code);
  if (iso) return { code, status: 'iso', digits: iso.digits, name: iso.currency };
  const extra = EXTRA[code];
  if (extra) return { code, status: extra.status, digits: extra.digits, name: `${extra.name} (${extra.note})` };
  return { code, status: 'unknown' };
}

/** The ISO 4217 list's publication date, for reports. */
export const ISO_4217_PUBLISHED = cc.publishDate;
