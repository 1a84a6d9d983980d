import { basename } from 'node:path';
import type { Profile } from '../config/profile.js';
import { applyOverlay, loadOverlay } from './overlay.js';
import { asSpecDocument, loadSpecDocument, type SpecDocument } from './spec-document.js';

/**
 * The spec a profile's rules are generated from: the profile's OpenAPI document (or
 * `specOverride`, the --spec file) with the profile's overlays applied in order.
 * Overlays apply to a --spec file too, since they carry the profile's policy, not the
 * spec's; an overlay target that matches nothing there is a ConfigError naming the
 * overlay file and action (the file does not use the names the profile expects).
 * `file` stays the base document, so rule ids and spec references keep its locations.
 */
export function loadProfileSpec(profile: Profile, specOverride?: string): SpecDocument {
  const spec = loadSpecDocument(specOverride ?? profile.spec);
  if (profile.overlays.length === 0) return spec;
  let document: unknown = spec.document;
  for (const file of profile.overlays) document = applyOverlay(document, loadOverlay(file), basename(spec.file));
  // An overlay may have broken what every spec needs (openapi, info, paths): check again.
  return asSpecDocument(spec.file, document);
}
