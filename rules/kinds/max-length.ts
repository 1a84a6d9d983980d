import { perExchange, type RuleKind } from '../kind.js';
import { selectAll } from '../select.js';

export interface MaxLengthParams {
  path: string;
  maxLength: number;
  /** Who sets the limit, for the message: "the spec" or "the profile". */
  source: string;
}

/** A masked PAN is no longer than the spec (35) or the profile (BITS: 16) allows. */
export const maxLength: RuleKind<MaxLengthParams> = {
  kind: 'max-length',
  category: 'masked-pan',
  severity: 'major',
  description: 'A masked PAN is no longer than the spec or profile allows.',
  needs: 'json-body',
  check: (input) => perExchange(input, (ex, push) => {
    const { path, maxLength: max, source } = input.params;
    const found = selectAll(ex.json, path).filter((f) => typeof f.value === 'string');
    for (const { pointer, value } of found) {
      const length = [...(value as string)].length;
      if (length > max) push({ instancePath: pointer, message: `maskedPan has ${length} characters; ${source} allows ${max}` });
    }
    return found.length;
  }),
};
