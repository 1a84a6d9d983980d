import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SPEC_SCHEMA_ID, type JsonSchema } from './json-schema.js';

export interface SchemaError {
  instancePath: string;
  message: string;
}

/**
 * Compiles response schemas against the spec's component schemas, once each.
 * Built from plain data (the $defs), so a vitest worker can rebuild it from the catalogue.
 */
export class SchemaValidators {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(defs: Record<string, JsonSchema>) {
    // strict off: real specs carry keywords ajv does not know; unicodeRegExp off: bank
    // specs use escapes that are only legal in non-unicode regexes.
    this.ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SPEC_SCHEMA_ID, $defs: defs });
  }

  /** Validates a value; returns the errors (empty when valid). */
  validate(schema: JsonSchema, value: unknown): SchemaError[] {
    const key = JSON.stringify(schema);
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile(typeof schema === 'boolean' ? schema : { ...schema });
      this.cache.set(key, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map(describeError);
  }
}

function describeError(e: ErrorObject): SchemaError {
  const where = e.instancePath || '/';
  let message = `${where} ${e.message ?? 'is invalid'}`;
  // why the casts: ajv's params are typed per keyword only loosely; enum carries allowedValues, additionalProperties additionalProperty
  if (e.keyword === 'enum') message += `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (e.keyword === 'additionalProperties') message += `: '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  return { instancePath: e.instancePath, message };
}
