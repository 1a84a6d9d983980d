import { BoundedReadError, FILE_CAPS, readBoundedText } from '../core/fs/read-bounded.js';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../config/types.js';
import { errorMessage } from '../core/errors.js';

/**
 * Reads a YAML or JSON document (by extension). A missing file or a syntax error is a
 * ConfigError naming the file, and the line and column where the parser stopped.
 */
export function readDocument(file: string, what: 'spec' | 'overlay'): unknown {
  let text: string;
  try {
    text = readBoundedText(file, FILE_CAPS[what]);
  } catch (e) {
    if (e instanceof BoundedReadError) throw new ConfigError(file, undefined, `cannot read the ${what}${e.code ? ` (${e.code})` : ''}: ${e.detail}`);
    throw e;
  }
  const json = file.endsWith('.json');
  try {
    // Aliases unbounded: large specs share schemas through anchors.
    return json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new ConfigError(file, undefined, `not valid ${json ? 'JSON' : 'YAML'}${where}: ${errorMessage(e).split('\n')[0]}`);
  }
}
