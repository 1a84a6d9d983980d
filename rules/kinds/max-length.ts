import { isMaskedPan } from '../../schemas/walk.js';
import { defineKind, perExchange } from '../kind.js';
import { selectShared } from '../select-cache.js';

export interface MaxLengthParams {
  path: string;
  maxLength: number;
  /** Who sets the limit, for the message: "the spec" or "the profile". */
  source: string;
}

/** A masked PAN is no longer than the spec (35) or the profile (BITS: 16) allows. */
export const maxLength = defineKind<MaxLengthParams>({
  kind: 'max-length',
  category: 'masked-pan',
  severity: 'major',
  idPattern: '{operationId}:{path}:max-length',
  docs: {
    description: 'A masked PAN is no longer than the spec or profile allows.',
    specRef: 'OpenAPI Schema Object: maxLength (Berlin Group maskedPan, Max35Text)',
  },
  needs: 'json-body',
  applies: {
    node: ({ profile, op, node, specRef }) => {
      const { path, flat } = node;
      if (!isMaskedPan(node) || flat.maxLength === undefined) return [];
      // A profile's overlay is where a stricter limit comes from (BITS: 16).
      const source = profile.overlays.length > 0 ? 'the profile' : 'the spec';
      return [
        {
          id: `${op.operationId}:${path}:max-length`,
          title: `${path} is at most ${flat.maxLength} characters`,
          specRef: specRef(flat.location),
          params: { path, maxLength: flat.maxLength, source },
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const { path, maxLength: max, source } = input.params;
      let found = 0;
      for (const inst of selectShared(ex.json, path)) {
        const value = inst.value;
        if (typeof value !== 'string') continue;
        found++;
        // UTF-16 units are never fewer than characters: only a long string needs counting.
        // oxlint-disable-next-line typescript/no-misused-spread -- maxLength counts code points, which is what the spread gives
        const length = value.length <= max ? value.length : [...value].length;
        if (length > max) push({ instancePath: inst.pointer, message: `maskedPan has ${length} characters; ${source} allows ${max}` });
      }
      return found;
    }),
});
