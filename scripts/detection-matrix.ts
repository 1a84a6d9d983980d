// `node dist/scripts/detection-matrix.js` (after `npm run build`): serves every defect and
// negative control of sandbox/defects/ in turn, judges every rule, and writes
// docs/detection-matrix.md. Exit 1 when a defect is missed or a control is flagged.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { projectPath } from '../core/paths.js';
import { MATRIX_DOC, matrixContext, renderDetectionMatrix, runDetectionMatrix } from '../app/detection-matrix.js';

const started = Date.now();
const context = matrixContext();
const outcomes = await runDetectionMatrix({ context });
const file = projectPath(MATRIX_DOC);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, renderDetectionMatrix(outcomes, context.catalogue.rules.length));

const bad = outcomes.filter((o) => o.problems.length > 0);
for (const o of bad) {
  console.error(`${o.entry.kind} '${o.entry.id}':`);
  for (const p of o.problems) console.error(`  ${p}`);
}
const defects = outcomes.filter((o) => o.entry.kind === 'defect').length;
console.log(
  `${MATRIX_DOC}: ${defects} defects, ${outcomes.length - defects} clean runs and negative controls, ${bad.length} with problems (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
// Exit explicitly: the HTTP client's close() leaves its fallback timer (timeoutMs, 10 s) running,
// which would otherwise keep the process alive after the work is done.
process.exit(bad.length > 0 ? 1 : 0);
