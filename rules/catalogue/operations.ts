import type { OpenAPIV3 } from 'openapi-types';
import { ConfigError } from '../../lib/config/types.js';
import { OPERATION_ROLES, type OperationRole, type Profile } from '../../lib/profile.js';
import { deref } from '../../schemas/refs.js';
import { isObject, type SpecDocument } from '../../schemas/spec-document.js';

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  enum?: string[];
}

export interface ResponseInfo {
  status: string;
  /** Media type → the OpenAPI schema object (untranslated) and its location in the document. */
  content: Record<string, { schema: unknown; location: string }>;
  /** Response header names the spec marks required (lower-case). */
  requiredHeaders: string[];
}

/** What the run needs to know about one operation of the spec. */
export interface OperationInfo {
  operationId: string;
  role: OperationRole;
  method: string;
  path: string;
  /** "GET /v1/card-accounts/{account-id}" */
  endpoint: string;
  /** JSON pointer of the operation in the spec (without "#"), for spec references. */
  location: string;
  parameters: ParameterInfo[];
  responses: ResponseInfo[];
  successStatuses: number[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const pointerToken = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Finds the operations the profile's roles name. The listing operation is required; others may be absent. */
export function findOperations(spec: SpecDocument, profile: Profile): OperationInfo[] {
  const byId = new Map<string, { method: string; path: string; op: OpenAPIV3.OperationObject; pathItem: OpenAPIV3.PathItemObject }>();
  for (const [path, item] of Object.entries(spec.document.paths ?? {})) {
    if (!isObject(item)) continue;
    const pathItem = item as OpenAPIV3.PathItemObject;
    for (const method of METHODS) {
      const op = pathItem[method];
      if (op?.operationId) byId.set(op.operationId, { method, path, op, pathItem });
    }
  }
  const found: OperationInfo[] = [];
  for (const role of OPERATION_ROLES) {
    const id = profile.operations[role];
    const hit = byId.get(id);
    if (!hit) {
      if (role === 'listCardAccounts') throw new ConfigError(spec.file, 'paths', `no operation '${id}' (the card-account list the ${profile.name} profile starts from); is this a card-account API description?`);
      continue;
    }
    found.push(describe(spec, role, hit.method, hit.path, hit.op, hit.pathItem));
  }
  return found;
}

function describe(spec: SpecDocument, role: OperationRole, method: string, path: string, op: OpenAPIV3.OperationObject, item: OpenAPIV3.PathItemObject): OperationInfo {
  const doc = spec.document;
  const location = `/paths/${pointerToken(path)}/${method}`;
  const params = new Map<string, ParameterInfo>();
  for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = deref<OpenAPIV3.ParameterObject>(doc, p);
    if (!param?.name) continue;
    const schema = deref<OpenAPIV3.SchemaObject>(doc, param.schema ?? {});
    const info: ParameterInfo = { name: param.name, in: param.in as ParameterInfo['in'], required: param.required === true };
    if (Array.isArray(schema?.enum)) info.enum = schema.enum.map(String);
    params.set(`${param.in}:${param.name.toLowerCase()}`, info);
  }
  const responses: ResponseInfo[] = [];
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const response = deref<OpenAPIV3.ResponseObject>(doc, r);
    if (!response) continue;
    const rloc = `${location}/responses/${status}`;
    const content: ResponseInfo['content'] = {};
    for (const [media, m] of Object.entries(response.content ?? {})) {
      if (m.schema) content[media.toLowerCase()] = { schema: m.schema, location: `${rloc}/content/${pointerToken(media)}/schema` };
    }
    const requiredHeaders = Object.entries(response.headers ?? {})
      .filter(([, h]) => deref<OpenAPIV3.HeaderObject>(doc, h)?.required === true)
      .map(([name]) => name.toLowerCase());
    responses.push({ status, content, requiredHeaders });
  }
  const successStatuses = responses.map((r) => Number(r.status)).filter((s) => s >= 200 && s < 300);
  return {
    operationId: op.operationId!, role, method: method.toUpperCase(), path,
    endpoint: `${method.toUpperCase()} ${path}`, location, parameters: [...params.values()], responses,
    successStatuses: successStatuses.length > 0 ? successStatuses : [200],
  };
}
