import { defineKind, perExchange } from '../kind.js';
import { isRecord } from '../select.js';

export interface BodyFieldsParams {
  /** The top-level properties the spec defines for the response body, besides `_links`. */
  fields: string[];
}

const list = (names: string[], max = 8): string => (names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', '));

/**
 * A success body carries at least one of the fields the spec defines for it. A body whose data
 * sits under other keys (`transactions` for `cardTransactions`) validates against a schema of
 * optional properties, and every field rule finds nothing to judge: without this rule it would pass.
 */
export const bodyFields = defineKind<BodyFieldsParams>({
  kind: 'body-fields',
  category: 'schema',
  severity: 'major',
  idPattern: '{operationId}:body-fields',
  docs: {
    description: 'A success body carries at least one of the fields the spec defines for the response, so the field rules have something to judge.',
    specRef: 'OpenAPI Schema Object: properties (no silent pass)',
  },
  needs: 'json-body',
  applies: {
    'response:exit': ({ op, response, declared, specRef }) => {
      const fields = (declared().objects['']?.names ?? []).filter((n) => n !== '_links');
      if (fields.length === 0) return [];
      return [
        {
          id: `${op.operationId}:body-fields`,
          title: `${op.endpoint} body carries the fields the spec defines (${fields.join(', ')})`,
          specRef: specRef(response.location),
          params: { fields },
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const { fields } = input.params;
      const body = ex.json;
      if (!isRecord(body)) {
        push({
          instancePath: '',
          message: `the body is ${Array.isArray(body) ? 'a JSON array' : `a JSON ${body === null ? 'null' : typeof body}`}, not an object with the fields the spec defines (${list(fields)})`,
        });
        return 1;
      }
      const keys = Object.keys(body);
      if (!keys.some((k) => fields.includes(k))) {
        const has = keys.length > 0 ? list(keys) : 'nothing (an empty object)';
        push({
          instancePath: '',
          message: `the body carries none of the fields the spec defines for this response; it has: ${has} (the spec defines: ${list(fields)})`,
        });
      }
      return 1;
    }),
});
