// The doctor's view of the profile's request headers: every header the profile requires has a
// value in the bank file, and every value has the profile's format (what `run` checks before it
// sends anything, reported here with the other problems instead of stopping the doctor).
import { profileRequestHeaders } from '../../collect/request-headers.js';
import type { BankConfig } from '../../config/types.js';
import { ConfigError } from '../../config/types.js';
import { loadProfile } from '../../config/profile.js';
import { fail, pass, skip, type CheckLine } from './types.js';

const CHECK = 'request headers';

/** One line: pass with the headers the profile fills in, fail naming the field, or skip with why. */
export function checkRequestHeaders(config: BankConfig, broken: string | undefined): CheckLine {
  if (broken) return skip(CHECK, `not checked: ${broken}`);
  try {
    const profile = loadProfile(config.profile, `${config.source}: profile`);
    const names = Object.keys(profileRequestHeaders(config, profile));
    return pass(
      CHECK,
      names.length > 0
        ? `the ${profile.name} profile's headers have values of the right format (${names.join(', ')})`
        : `the ${profile.name} profile adds no request headers`,
    );
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The message without the "file: field: " prefix the line's field already says.
    const prefix = err.field ? `${err.file}: ${err.field}: ` : `${err.file}: `;
    return fail(CHECK, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message, err.field);
  }
}
