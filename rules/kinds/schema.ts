import type { JsonSchema } from '../../schemas/json-schema.js';
import { perExchange, type RuleKind } from '../kind.js';

export interface SchemaParams {
  /** The response body schema, translated to JSON Schema 2020-12. */
  schema: JsonSchema;
  /** Where it comes from in the spec, for the message. */
  source: string;
}

const MAX_ERRORS_PER_BODY = 20;

/** The whole success body validates against the spec's response schema. */
export const schema: RuleKind<SchemaParams> = {
  kind: 'schema',
  category: 'schema',
  severity: 'major',
  description: 'The whole response body validates against the response schema of the spec.',
  needs: 'json-body',
  check: (input) => perExchange(input, (ex, push) => {
    const errors = input.validators.validate(input.params.schema, ex.json);
    for (const e of errors.slice(0, MAX_ERRORS_PER_BODY)) push({ instancePath: e.instancePath, message: e.message });
    return 1;
  }),
};
