import { basename } from 'node:path';
import type { Rule } from '../../core/model.js';
import type { Profile } from '../../config/profile.js';
import { componentDefs, type JsonSchema } from '../../schemas/json-schema.js';
import type { SpecDocument } from '../../schemas/spec-document.js';
import { declaredProperties, type DeclaredProperties } from '../../schemas/declared.js';
import { walkSchema } from '../../schemas/walk.js';
import {
  okProbe,
  type AnyKind,
  type CatalogueLimits,
  type Fault,
  type JsonResponse,
  type OperationScope,
  type Place,
  type Places,
  type Sampling,
  type SpecScope,
} from '../kind.js';
import { findOperations, type OperationInfo } from '../operations.js';
import { DEFAULT_LIMITS } from '../../config/load.js';
import { REGISTERED } from '../registry.js';

export { okProbe };

/** A request the collector sends with one deliberate fault; rules judge it by its probe id. */
export interface ErrorProbe {
  probe: string;
  operationId: string;
  fault: Exclude<Fault, { type: 'replace-params' }>;
}

/** A generated negative request: the valid request with parameters replaced (`limits.negativeRequests` bounds them). */
export interface NegativeProbe {
  probe: string;
  operationId: string;
  in: 'header' | 'query' | 'path';
  /** Replacement values by parameter name as the spec spells it (header names in any case). */
  values: Record<string, string>;
}

/** The catalogue as a vitest worker needs it to judge (plain data). */
export interface JudgingCatalogue {
  spec: { title: string; version: string; file: string };
  profile: Profile;
  defs: Record<string, JsonSchema>;
  rules: Rule[];
}

export interface Catalogue extends JudgingCatalogue {
  operations: OperationInfo[];
  errorProbes: ErrorProbe[];
  negativeProbes: NegativeProbe[];
  /** What kinds left out to keep within a budget, by kind (e.g. `negative`). */
  sampling: Record<string, Sampling>;
  /** What the run should tell the user about the spec (e.g. success responses declared only as `default`). */
  warnings: string[];
}

/**
 * Generates the rule catalogue from the spec: which rules exist is the spec's decision, which rules a
 * place of the spec gets is each kind's (its `applies`), and how each is checked too. The generator only
 * visits the places, in the spec's order, and asks every registered kind at each (docs/architecture.md).
 `kinds` is the registry; a test may pass another list (a kind being written). `limits` are the bank file's
 * budgets (defaults: the bank file's).
 */
export function buildCatalogue(
  spec: SpecDocument,
  profile: Profile,
  options: { kinds?: readonly AnyKind[]; limits?: Partial<CatalogueLimits> } = {},
): Catalogue {
  const kinds = options.kinds ?? REGISTERED;
  const operations = findOperations(spec, profile);
  const rules = new Map<string, Rule>();
  const errorProbes: ErrorProbe[] = [];
  const negativeProbes: NegativeProbe[] = [];
  const sampling: Record<string, Sampling> = {};
  const warnings: string[] = [];
  let current = '';
  const visit = <W extends Place>(where: W, scope: Places[W]): void => {
    for (const kind of kinds) {
      if (!kind.places.includes(where)) continue;
      current = kind.kind;
      for (const { rule, fault } of kind.rulesAt(where, scope)) {
        if (rules.has(rule.id)) continue; // the same path reached twice (e.g. through oneOf) is one rule
        rules.set(rule.id, rule);
        const probe = rule.probes[0];
        if (!fault || !probe) continue;
        if (fault.type === 'replace-params') negativeProbes.push({ probe, operationId: rule.operationId, in: fault.in, values: fault.values });
        else errorProbes.push({ probe, operationId: rule.operationId, fault });
      }
    }
  };
  const specScope: SpecScope = {
    spec,
    profile,
    operations,
    specRef: (location) => `${basename(spec.file)}#${location}`,
    limits: { negativeRequests: DEFAULT_LIMITS.negativeRequests, ...options.limits },
    sampled: (s) => {
      sampling[current] = s;
    },
  };

  for (const op of operations) {
    const success = op.responses.filter((r) => op.successStatuses.includes(Number(r.status)) || (op.successFromDefault && r.status === 'default'));
    if (op.successFromDefault) {
      warnings.push(
        `${basename(spec.file)}: ${op.endpoint} (${op.operationId}) declares no 2xx response, only 'default'; ` +
          `its schema is used as the success schema and ${op.successStatuses.join('/')} is expected`,
      );
    }
    const opScope: OperationScope = { ...specScope, op, success };
    visit('operation', opScope);
    for (const r of success) {
      const json = Object.entries(r.content).find(([m]) => m === 'application/json' || m.endsWith('+json'));
      if (!json) continue;
      const [mediaType, { schema, location }] = json;
      const response: JsonResponse = { status: r.status, mediaType, schema, location: location.replace(/^#/, '') };
      let declared: DeclaredProperties | undefined;
      const responseScope = { ...opScope, response, declared: () => (declared ??= declaredProperties(spec.document, response)) };
      visit('response', responseScope);
      walkSchema(spec.document, response, (node) => visit('node', { ...responseScope, node }));
      visit('response:exit', responseScope);
    }
    visit('operation:exit', opScope);
  }
  visit('spec', specScope);
  return {
    spec: { title: spec.title, version: spec.version, file: spec.file },
    profile,
    defs: componentDefs(spec),
    operations,
    errorProbes,
    negativeProbes,
    sampling,
    rules: [...rules.values()],
    warnings,
  };
}
