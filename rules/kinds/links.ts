import { defineKind, perExchange } from '../kind.js';
import { isRecord, preview } from '../select.js';
import { selectShared } from '../select-cache.js';

export interface LinksParams {
  /** Path of the `_links` object(s). */
  path: string;
}

/** Why an href is not a usable URI reference, or undefined. Exported for the tests. */
export function hrefProblem(href: string): string | undefined {
  if (href.trim() === '') return 'is empty';
  if (/\s/.test(href)) return 'contains white space (unencoded)';
  try {
    new URL(href, 'https://bank.invalid/');
  } catch {
    return 'is not a valid URI reference';
  }
  return undefined;
}

/** `_links` is an object of named links, each `{ href }` with a valid URI reference (BG hrefType). */
export const links = defineKind<LinksParams>({
  kind: 'links',
  category: 'links',
  severity: 'major',
  idPattern: '{operationId}:{path}:links',
  docs: {
    description: '_links is a map of link objects, each with an href that is a valid URI reference.',
    specRef: 'Berlin Group _links (hrefType); RFC 3986',
  },
  needs: 'json-body',
  applies: {
    node: ({ op, node, specRef }) =>
      node.name !== '_links'
        ? []
        : [
            {
              id: `${op.operationId}:${node.path}:links`,
              title: `${node.path} is a map of { href } links`,
              specRef: specRef(node.flat.location),
              params: { path: node.path },
            },
          ],
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const found = selectShared(ex.json, input.params.path);
      for (const { pointer, value } of found) {
        if (!isRecord(value)) {
          push({
            instancePath: pointer,
            message: `_links at ${pointer} is ${Array.isArray(value) ? 'an array' : preview(value)}; it must be an object of named links`,
          });
          continue;
        }
        for (const [name, link] of Object.entries(value)) {
          const at = `${pointer}/${name}`;
          if (!isRecord(link)) {
            push({ instancePath: at, message: `link '${name}' at ${at} is ${preview(link)}; it must be an object { href }` });
            continue;
          }
          if (link.href === undefined) continue; // href is optional in hrefType
          if (typeof link.href !== 'string') {
            push({ instancePath: `${at}/href`, message: `href of '${name}' is ${preview(link.href)}, not a string` });
            continue;
          }
          const problem = hrefProblem(link.href);
          if (problem) push({ instancePath: `${at}/href`, message: `href of '${name}' (${preview(link.href)}) ${problem}` });
        }
      }
      return found.length;
    }),
});
