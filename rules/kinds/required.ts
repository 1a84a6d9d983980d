import { declaredBy as declaringSchema } from '../../schemas/walk.js';
import { defineKind, perExchange } from '../kind.js';
import { isRecord } from '../select.js';
import { selectShared } from '../select-cache.js';

export interface RequiredParams {
  /** Path of the object(s) that must carry the property ('' for the body itself). */
  parent: string;
  property: string;
  /** The schema that declares it required, for the message. */
  declaredBy?: string;
}

/** A property the spec declares required is present on every instance of its parent object. */
export const required = defineKind<RequiredParams>({
  kind: 'required',
  category: 'required-field',
  severity: 'critical',
  idPattern: '{operationId}:{path}:required',
  docs: { description: 'A required property is present wherever its parent object appears.', specRef: 'OpenAPI Schema Object: required' },
  needs: 'json-body',
  applies: {
    // Under a oneOf/anyOf a property is required only in its branch: no rule.
    node: ({ op, node, specRef }) =>
      node.conditional
        ? []
        : [...node.flat.required].map((property) => {
            const at = `${node.path}/${property}`;
            return {
              id: `${op.operationId}:${at}:required`,
              title: `${at} is present`,
              specRef: `${specRef(node.flat.location)}/required`,
              params: { parent: node.path, property, declaredBy: declaringSchema(node) },
            };
          }),
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const { parent, property, declaredBy } = input.params;
      let parents = 0;
      for (const p of selectShared(ex.json, parent)) {
        if (!isRecord(p.value)) continue;
        parents++;
        const obj = p.value;
        if (!(property in obj)) {
          push({
            message: `${property} is missing at ${p.pointer || '/'}${declaredBy ? ` (required by ${declaredBy})` : ''}`,
            instancePath: `${p.pointer}/${property}`,
          });
        } else if (obj[property] === null) {
          push({ message: `${property} is null at ${p.pointer || '/'}; a required property needs a value`, instancePath: `${p.pointer}/${property}` });
        }
      }
      return parents;
    }),
});
