import type { OpenApiDocument } from './spec-document.js';
import { walkSchema } from './walk.js';

/** The properties a response schema declares, by path (with `*` for array items). */
export interface DeclaredProperties {
  /** Every object path that declares properties: its property names, and whether others are expected. */
  objects: Record<string, { names: string[]; open: boolean }>;
  /** Every declared property path, e.g. /cardAccounts/*\/maskedPan. */
  properties: string[];
}

/**
 * Collects what a response schema declares, merging the alternatives of oneOf/anyOf at the same
 * path (a property any alternative declares is declared).
 */
export function declaredProperties(doc: OpenApiDocument, root: { schema: unknown; location: string }): DeclaredProperties {
  const objects: DeclaredProperties['objects'] = {};
  const properties = new Set<string>();
  walkSchema(doc, { schema: root.schema, location: root.location.replace(/^#/, '') }, (node) => {
    if (node.name !== '' && node.name !== '*' && node.path !== '') properties.add(node.path);
    if (node.flat.properties.size === 0 && !node.flat.open) return;
    const entry = objects[node.path] ?? { names: [], open: false };
    for (const name of node.flat.properties.keys()) if (!entry.names.includes(name)) entry.names.push(name);
    entry.open ||= node.flat.open;
    objects[node.path] = entry;
  });
  return { objects, properties: [...properties] };
}
