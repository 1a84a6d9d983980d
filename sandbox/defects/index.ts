// The defect and variant catalogues, and how a list of ids becomes sandbox options.
import type { ResponseMutation, SandboxOptions } from '../types.js';
import { DEFECTS } from './defects.js';
import type { Defect, SandboxExtras, Variant } from './types.js';
import { VARIANTS } from './variants.js';

export { DEFECTS } from './defects.js';
export { VARIANTS } from './variants.js';
export type { Defect, SandboxExtras, Variant } from './types.js';

/** Thrown for an id that names no defect or variant; the CLI turns it into a usage error. */
export class UnknownDefectError extends Error {
  constructor(
    readonly kind: 'defect' | 'variant',
    readonly id: string,
    readonly known: string[],
  ) {
    super(`unknown ${kind} '${id}' (known: ${known.join(', ')})`);
    this.name = 'UnknownDefectError';
  }
}

function pick<T extends { id: string }>(kind: 'defect' | 'variant', all: T[], ids: string[]): T[] {
  return ids.map((id) => {
    const found = all.find((d) => d.id === id);
    if (!found)
      throw new UnknownDefectError(
        kind,
        id,
        all.map((d) => d.id),
      );
    return found;
  });
}

export const findDefects = (ids: string[]): Defect[] => pick('defect', DEFECTS, ids);
export const findVariants = (ids: string[]): Variant[] => pick('variant', VARIANTS, ids);

/** The sandbox options that serve the given defects and variants together (mutations in order, guards chained). */
export function sandboxOptionsFor(entries: (Defect | Variant)[]): Pick<SandboxOptions, 'mutations'> & SandboxExtras {
  const mutations: ResponseMutation[] = entries.map((e) => e.mutation);
  const options: Pick<SandboxOptions, 'mutations'> & SandboxExtras = { mutations };
  const guards = entries.flatMap((e) => (e.sandbox?.requestGuard ? [e.sandbox.requestGuard] : []));
  // The first guard that rejects a request decides, as stacked gateway checks would.
  if (guards.length > 0) options.requestGuard = (req) => guards.reduce<ReturnType<(typeof guards)[number]>>((r, g) => r ?? g(req), undefined);
  for (const e of entries) {
    if (e.sandbox?.faults) options.faults = [...(options.faults ?? []), ...e.sandbox.faults];
    if (e.sandbox?.signaturePolicy) options.signaturePolicy = { ...options.signaturePolicy, ...e.sandbox.signaturePolicy };
    if (e.sandbox?.tls) options.tls = e.sandbox.tls;
    if (e.sandbox?.pageSize !== undefined) options.pageSize = e.sandbox.pageSize;
  }
  return options;
}
