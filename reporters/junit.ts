// out/junit.xml for CI test tabs: one <testsuite> per bank, one <testcase> per rule.
// Built from findings (already redacted) rather than from vitest's junit reporter, whose suite names
// are file paths and cannot tell banks apart (toolchain notes §4).
import type { Finding, FindingsFile, UntestableBank } from '../core/model.js';

/**
 * Text that is valid XML 1.0 character data: characters XML forbids (C0 controls other than tab,
 * newline and carriage return, U+FFFE/U+FFFF, lone surrogates) are written as visible "\uXXXX"
 * text, since not even a character reference may carry them.
 */
function xmlSafe(text: string): string {
  return text.replace(
    /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and whitespace that attribute normalisation would turn into spaces. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function seconds(startedAt: string, finishedAt: string): string {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

/** The failure body: where, which clause, and every listed violation. */
function details(f: Finding): string {
  const lines = [f.message || f.title];
  lines.push(`rule: ${f.ruleId} (${f.category}, ${f.severity}${f.mandatory ? ', mandatory' : ''})`);
  if (f.instancePath) lines.push(`at: ${f.instancePath}`);
  if (f.specRef) lines.push(`spec: ${f.specRef}`);
  if (f.violations?.length) {
    lines.push('violations:');
    for (const v of f.violations) lines.push(`  - ${v.instancePath ? `${v.instancePath}: ` : ''}${v.message}`);
  }
  return lines.join('\n');
}

/** How long each rule's test took (ms), by `bankId` + NUL + `ruleId`. */
export type RuleDurations = ReadonlyMap<string, number>;
export const durationKey = (bankId: string, ruleId: string): string => `${bankId}\u0000${ruleId}`;

/** The status a test case shows: a waived failure is skipped. */
function junitStatus(f: Finding): Finding['status'] {
  return f.waived && (f.status === 'failed' || f.status === 'broken') ? 'skipped' : f.status;
}

function testcase(bankId: string, f: Finding, durations?: RuleDurations): string {
  const ms = durations?.get(durationKey(bankId, f.ruleId)) ?? 0;
  const open = `    <testcase classname="${escapeXmlAttr(`${bankId}.${f.endpoint}`)}" name="${escapeXmlAttr(`${f.title} [${f.ruleId}]`)}" time="${(ms / 1000).toFixed(3)}"`;
  // A waived result (run --waivers) is accepted for now: CI shows it as skipped, with the reason.
  if (f.waived && (f.status === 'failed' || f.status === 'broken')) {
    const w = f.waived;
    return `${open}>\n      <skipped message="${escapeXmlAttr(`waived: ${w.reason}${w.ticket ? ` (${w.ticket})` : ''}, until ${w.expires}`)}">${escapeXmlText(details(f))}</skipped>\n    </testcase>`;
  }
  switch (f.status) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped${f.message ? ` message="${escapeXmlAttr(f.message)}"` : ''}/>\n    </testcase>`;
    case 'failed':
      return `${open}>\n      <failure message="${escapeXmlAttr(f.message || f.title)}" type="${escapeXmlAttr(f.severity)}">${escapeXmlText(details(f))}</failure>\n    </testcase>`;
    case 'broken':
      return `${open}>\n      <error message="${escapeXmlAttr(f.message || 'could not be judged')}" type="broken">${escapeXmlText(details(f))}</error>\n    </testcase>`;
  }
}

function testsuite(file: FindingsFile, durations?: RuleDurations): string {
  const tests = file.results.length;
  // Counted from the results, not file.summary, so the attributes always agree with the test cases.
  const count = (status: Finding['status']): number => file.results.filter((r) => junitStatus(r) === status).length;
  const attrs = [
    `name="${escapeXmlAttr(file.bank.id)}"`,
    `tests="${tests}"`,
    `failures="${count('failed')}"`,
    `errors="${count('broken')}"`,
    `skipped="${count('skipped')}"`,
    `timestamp="${escapeXmlAttr(file.startedAt)}"`,
    `time="${seconds(file.startedAt, file.finishedAt)}"`,
  ].join(' ');
  const props = [
    ['profile', file.bank.profile],
    ['baseUrl', file.bank.baseUrl],
    ['spec', `${file.spec.title} ${file.spec.version}`],
    ['tool', `${file.tool.name} ${file.tool.version}`],
    ['finishedAt', file.finishedAt],
    ...(file.interrupted ? [['interrupted', 'true']] : []),
  ]
    .map(([name = '', value = '']) => `      <property name="${escapeXmlAttr(name)}" value="${escapeXmlAttr(value)}"/>`)
    .join('\n');
  const cases = file.results.map((f) => testcase(file.bank.id, f, durations));
  return [`  <testsuite ${attrs}>`, '    <properties>', props, '    </properties>', ...cases, '  </testsuite>'].join('\n');
}

/** A bank that could not be tested is one error test case, so CI shows it instead of an empty suite. */
function untestableSuite(bank: UntestableBank): string {
  const open = `    <testcase classname="${escapeXmlAttr(bank.id)}" name="the bank could be tested" time="0"`;
  return [
    `  <testsuite name="${escapeXmlAttr(bank.id)}" tests="1" failures="0" errors="1" skipped="0">`,
    `${open}>\n      <error message="${escapeXmlAttr(bank.reason)}" type="untestable">${escapeXmlText(`the bank could not be tested: ${bank.reason}`)}</error>\n    </testcase>`,
    '  </testsuite>',
  ].join('\n');
}

export function renderJunit(files: FindingsFile[], untestable: UntestableBank[] = [], durations?: RuleDurations): string {
  const all = files.flatMap((f) => f.results);
  const count = (status: Finding['status']): number => all.filter((r) => junitStatus(r) === status).length;
  let time = 0;
  for (const f of files) time += Number(seconds(f.startedAt, f.finishedAt));
  const name = files[0]?.tool.name ?? 'card-conformance';
  const head =
    `<testsuites name="${escapeXmlAttr(name)}" tests="${all.length + untestable.length}" failures="${count('failed')}" ` +
    `errors="${count('broken') + untestable.length}" skipped="${count('skipped')}" time="${time.toFixed(3)}">`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    head,
    ...files.map((f) => testsuite(f, durations)),
    ...untestable.map(untestableSuite),
    '</testsuites>',
    '',
  ].join('\n');
}
