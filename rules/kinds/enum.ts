import { declaredBy as declaringSchema, isCurrencyField } from '../../schemas/walk.js';
import { defineKind, perExchange } from '../kind.js';
import { preview } from '../select.js';
import { selectShared } from '../select-cache.js';

export interface EnumParams {
  path: string;
  values: (string | number | boolean)[];
  /** The schema that declares the enum, for the message. */
  declaredBy?: string;
}

/** A value the spec restricts to an enum is one of its values. */
export const enumeration = defineKind<EnumParams>({
  kind: 'enum',
  category: 'enum',
  severity: 'major',
  idPattern: '{operationId}:{path}:enum',
  docs: { description: 'A value the spec restricts to a list is one of that list.', specRef: 'OpenAPI Schema Object: enum' },
  needs: 'json-body',
  applies: {
    // A currency field's enum is the currency kind's (the profile's currency list).
    node: ({ op, node, specRef }) => {
      const { path, flat } = node;
      if (path === '' || !flat.enum || flat.enum.length === 0 || isCurrencyField(node)) return [];
      const values = flat.enum.filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v));
      const by = declaringSchema(node);
      return [
        {
          id: `${op.operationId}:${path}:enum`,
          title: `${path} is one of ${by ?? 'its values'}`,
          specRef: specRef(flat.location),
          params: { path, values, declaredBy: by },
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
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
});
