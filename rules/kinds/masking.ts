import { luhnValid, maskPan } from '../../core/redact.js';
import { isMaskedPan } from '../../schemas/walk.js';
import { defineKind, perExchange } from '../kind.js';
import { preview } from '../select.js';
import { selectShared } from '../select-cache.js';

export interface MaskingParams {
  path: string;
}

const MASK = /[xX*•#]/;

/** What is wrong with a masked PAN, or undefined when it is properly masked. Exported for the tests. */
export function maskingProblem(value: string, visibleLeading: number, visibleTrailing: number): { message: string; critical: boolean } | undefined {
  // Spaces and dashes are display separators ("Xxxx Xxxx Xxxx 1111", "****-****-****-1234").
  const compact = value.replace(/[\s-]/g, '');
  if (/^\d{12,19}$/.test(compact)) {
    return luhnValid(compact)
      ? { critical: true, message: `a full card number (${maskPan(compact)}, Luhn-valid) is exposed` }
      : { critical: true, message: `${compact.length} digits and no mask character: the PAN is not masked` };
  }
  if (!MASK.test(compact)) return { critical: false, message: `${preview(maskPan(compact))} has no mask character` };
  // \d* matches every string (maybe empty), so exec never returns null.
  const leading = (/^\d*/.exec(compact)?.[0] ?? '').length;
  const trailing = (/\d*$/.exec(compact)?.[0] ?? '').length;
  const middle = compact.slice(leading, compact.length - trailing);
  if (/\d/.test(middle)) return { critical: true, message: 'digits are visible between masked positions' };
  if (leading > visibleLeading) return { critical: true, message: `${leading} leading digits are visible; at most ${visibleLeading} may be` };
  if (trailing > visibleTrailing) return { critical: true, message: `${trailing} trailing digits are visible; at most ${visibleTrailing} may be` };
  if (/[^\dxX*•#]/.test(middle)) return { critical: false, message: `unexpected characters in the masked part of ${preview(value)}` };
  return undefined;
}

/** A masked PAN really is masked: never a full card number, never more than the first 6 and last 4 digits. */
export const masking = defineKind<MaskingParams>({
  kind: 'masking',
  category: 'masked-pan',
  severity: 'critical',
  idPattern: '{operationId}:{path}:masking',
  docs: {
    description: 'A masked PAN shows at most the first six and last four digits and is never a full card number.',
    specRef: 'PCI DSS 3.4 (PAN display); Berlin Group maskedPan',
  },
  needs: 'json-body',
  applies: {
    node: ({ profile, op, node, specRef }) => {
      if (!isMaskedPan(node)) return [];
      const { visibleLeading, visibleTrailing } = profile.maskedPan;
      return [
        {
          id: `${op.operationId}:${node.path}:masking`,
          title: `${node.path} is masked (at most the first ${visibleLeading} and last ${visibleTrailing} digits)`,
          specRef: specRef(node.flat.location),
          params: { path: node.path },
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const { visibleLeading, visibleTrailing } = input.profile.maskedPan;
      const found = selectShared(ex.json, input.params.path).filter((f) => typeof f.value === 'string');
      for (const { pointer, value } of found) {
        const problem = maskingProblem(value as string, visibleLeading, visibleTrailing);
        if (problem) push({ instancePath: pointer, severity: problem.critical ? 'critical' : 'major', message: `maskedPan at ${pointer}: ${problem.message}` });
      }
      return found.length;
    }),
});
