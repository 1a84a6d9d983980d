import { isObject, type OpenApiDocument } from './spec-document.js';

/** Decodes one JSON-pointer token (RFC 6901). */
const decodeToken = (t: string): string => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~');

/** The value at a local reference ("#/components/schemas/x"), or undefined. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const token of ref
    .slice(1)
    .split('/')
    .filter((t) => t !== '')
    .map(decodeToken)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}

/** Follows $ref chains (bounded, so a self-referencing $ref cannot loop). */
export function deref<T>(doc: OpenApiDocument, value: T | { $ref: string }): T | undefined {
  let node: unknown = value;
  for (let hops = 0; hops < 32 && isObject(node) && typeof node.$ref === 'string'; hops++) {
    node = resolvePointer(doc, node.$ref);
  }
  // why the cast: the caller names the node type a local $ref of the spec points to
  return node as T | undefined;
}

/** The last segment of a component reference: "#/components/schemas/amount" → "amount". */
export const refName = (ref: string): string => decodeToken(ref.slice(ref.lastIndexOf('/') + 1));
