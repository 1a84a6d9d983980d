// `node dist/scripts/traceability.js` (after `npm run build`; `npm run traceability`): writes the
// traceability page of every bank document in specs/traceability/ (docs/traceability-*.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { projectPath } from '../core/paths.js';
import { renderTraceability, traceDocuments } from './traceability/documents.js';

for (const doc of traceDocuments()) {
  const file = projectPath(doc.page);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderTraceability(doc));
  console.log(`${doc.page}: ${doc.statements.length} statements from ${doc.file}`);
}
