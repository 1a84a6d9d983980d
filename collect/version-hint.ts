// A baseUrl that ends in an API version segment while the spec's paths start with one too sends
// every request to …/v1/v1/…: the bank answers 404 everywhere and the run looks like a bank failure.

const VERSION = /^v\d+$/i;

/**
 * A one-line hint when `baseUrl` ends in a version segment (`/v1`, `/v2`) and the spec's paths
 * (e.g. `/v1/card-accounts`) start with one as well; undefined otherwise (a spec whose paths
 * carry no version needs the version in baseUrl).
 */
export function versionSegmentHint(baseUrl: string, firstPathOfSpec: string): string | undefined {
  let path: string;
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    return undefined;
  }
  const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
  const first = firstPathOfSpec.split('/').find((s) => s !== '') ?? '';
  if (!VERSION.test(last) || !VERSION.test(first)) return undefined;
  const joined = `${path.replace(/\/+$/, '')}${firstPathOfSpec}`;
  return (
    `baseUrl ends in '/${last}' and the spec's paths start with '/${first}', so requests go to ${joined}; ` +
    `if the bank serves ${firstPathOfSpec} directly under ${path.replace(/\/+$/, '').slice(0, -(last.length + 1)) || '/'}, drop '/${last}' from baseUrl`
  );
}
