// `card-conformance rules`: the rules a run would judge, from the same catalogue the run builds
// (the profile's spec with its overlays, or --spec), as a table or as JSON.
import type { RuleMeta } from '../../core/model.js';
import { loadProfile } from '../../config/profile.js';
import { buildCatalogue } from '../../rules/catalogue/generate.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';

/** One line of `rules --json`. */
export interface RuleRow {
  id: string;
  category: RuleMeta['category'];
  severity: RuleMeta['severity'];
  mandatory: boolean;
  specRef: string;
  endpoint: string;
  title: string;
}

export interface RuleList {
  profile: string;
  spec: { title: string; version: string };
  rules: RuleRow[];
}

/** The catalogue `run --profile NAME [--spec FILE]` would judge (before --only, --rule and the like). */
export function listRules(opts: { profile?: string; spec?: string }): RuleList {
  const profile = loadProfile(opts.profile ?? 'berlin-group');
  const catalogue = buildCatalogue(loadProfileSpec(profile, opts.spec), profile);
  return {
    profile: profile.name,
    spec: { title: catalogue.spec.title, version: catalogue.spec.version },
    rules: catalogue.rules.map((r) => ({
      id: r.id,
      category: r.category,
      severity: r.severity,
      mandatory: r.mandatory,
      specRef: r.specRef,
      endpoint: r.endpoint,
      title: r.title,
    })),
  };
}

/** A plain table (no colour, no control sequence): the same on a terminal and in a pipe. */
export function renderRulesTable(list: RuleList): string {
  const head = ['category', 'severity', 'mandatory', 'rule id', 'spec reference'];
  const rows = list.rules.map((r) => [r.category, r.severity, r.mandatory ? 'yes' : 'no', r.id, r.specRef]);
  const widths = head.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < widths.length ? c.padEnd(widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return [`${list.rules.length} rules: ${list.spec.title} ${list.spec.version}, profile ${list.profile}`, '', line(head), ...rows.map(line)].join('\n');
}
