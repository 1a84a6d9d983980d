import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { ConfigError } from '../config/types.js';
import { readDocument } from './read-document.js';

export type OpenApiDocument = OpenAPIV3.Document | OpenAPIV3_1.Document;

/** An OpenAPI document as read from disk, with where it came from. */
export interface SpecDocument {
  file: string;
  document: OpenApiDocument;
  /** "3.0" or "3.1": decides how schemas are translated for ajv. */
  dialect: '3.0' | '3.1';
  title: string;
  version: string;
}

/** Reads an OpenAPI 3.0/3.1 file (YAML or JSON). Any problem is a ConfigError naming the file and field. */
export function loadSpecDocument(file: string): SpecDocument {
  return asSpecDocument(file, readDocument(file, 'spec'));
}

export function asSpecDocument(file: string, raw: unknown): SpecDocument {
  if (!isObject(raw)) throw new ConfigError(file, undefined, 'not an OpenAPI document (expected a mapping at the top level)');
  const openapi = raw.openapi;
  if (typeof openapi !== 'string') {
    const hint = typeof raw.swagger === 'string' ? ' (Swagger 2.0 is not supported; convert it to OpenAPI 3)' : '';
    throw new ConfigError(file, 'openapi', `missing: not an OpenAPI 3.0/3.1 document${hint}`);
  }
  const dialect = openapi.startsWith('3.0') ? '3.0' : openapi.startsWith('3.1') ? '3.1' : undefined;
  if (!dialect) throw new ConfigError(file, 'openapi', `version ${openapi} is not supported (use 3.0.x or 3.1.x)`);
  if (!isObject(raw.info)) throw new ConfigError(file, 'info', 'missing');
  if (!isObject(raw.paths)) throw new ConfigError(file, 'paths', 'missing: the document describes no operations');
  // why the cast: both fields read as unknown and checked
  const info = raw.info as { title?: unknown; version?: unknown };
  return {
    file,
    // why the cast: an object with openapi 3.x, info and paths, checked above; the rest is read defensively
    document: raw as unknown as OpenApiDocument,
    dialect,
    title: typeof info.title === 'string' ? info.title : '(untitled)',
    version: typeof info.version === 'string' ? info.version : '(unversioned)',
  };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
