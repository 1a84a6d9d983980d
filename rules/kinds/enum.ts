import { perExchange, type RuleKind } from '../kind.js';
import { preview } from '../select.js';
import { selectShared } from '../select-cache.js';

export interface EnumParams {
  path: string;
  values: (string | number | boolean)[];
  /** The schema that declares the enum, for the message. */
  declaredBy?: string;
}

/** A value the spec restricts to an enum is one of its values. */
export const enumeration: RuleKind<EnumParams> = {
  kind: 'enum',
  category: 'enum',
  severity: 'major',
  description: 'A value the spec restricts to a list is one of that list.',
  needs: 'json-body',
  check: (input) => perExchange(input, (ex, push) => {
    const { path, values, declaredBy } = input.params;
    const found = selectShared(ex.json, path);
    for (const { pointer, value } of found) {
      if (!values.includes(value as string)) {
        const list = values.length > 10 ? `${values.slice(0, 10).join(', ')}, …` : values.join(', ');
        push({ instancePath: pointer, message: `${preview(value)} at ${pointer} is not one of ${declaredBy ? `${declaredBy}: ` : ''}${list}` });
      }
    }
    return found.length;
  }),
};
