import { toJsonSchema, type JsonSchema } from '../../schemas/json-schema.js';
import { defineKind, perExchange } from '../kind.js';

export interface SchemaParams {
  /** The response body schema, translated to JSON Schema 2020-12. */
  schema: JsonSchema;
  /** Where it comes from in the spec, for the message. */
  source: string;
}

const MAX_ERRORS_PER_BODY = 20;

/** The whole success body validates against the spec's response schema. */
export const schema = defineKind<SchemaParams>({
  kind: 'schema',
  category: 'schema',
  severity: 'major',
  idPattern: '{operationId}:schema',
  docs: { description: 'The whole response body validates against the response schema of the spec.', specRef: 'OpenAPI Media Type Object: schema' },
  needs: 'json-body',
  applies: {
    // One rule per operation: a second JSON success response (201 beside 200) is the same id, and the first wins.
    response: ({ spec, op, response, specRef }) => [
      {
        id: `${op.operationId}:schema`,
        title: `${op.endpoint} body validates against its response schema`,
        specRef: specRef(response.location),
        params: { schema: toJsonSchema(response.schema, spec.dialect), source: response.location },
      },
    ],
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const errors = input.validators.validate(input.params.schema, ex.json);
      for (const e of errors.slice(0, MAX_ERRORS_PER_BODY)) push({ instancePath: e.instancePath, message: e.message });
      return 1;
    }),
});
