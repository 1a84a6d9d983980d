#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/types.js';
import { TOOL } from '../core/paths.js';
import { createRedactor } from '../core/redact.js';
import { commands } from './commands.js';
import { GLOBAL_USAGE } from './help.js';

/**
 * `card-conformance COMMAND [options]`: the first word names the command; its own option table
 * (bin/commands.ts) parses the rest, so `run --help` is run's help and a flag another command
 * takes is an error naming the flag.
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${GLOBAL_USAGE}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : commands[topic];
    process.stdout.write(`${command ? command.help : GLOBAL_USAGE}\n`);
    return 0;
  }
  if (name === '--version') {
    process.stdout.write(`${TOOL.version}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`card-conformance: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')}; card-conformance --help)\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`card-conformance ${name}: ${(e as Error).message}\nRun card-conformance ${name} --help for usage.\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(parsed.values, parsed.positionals);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`card-conformance ${name}: ${e.message}\n`);
      return 2;
    }
    // Without the bank's secrets at hand, the redactor still masks card numbers and private keys.
    const redactor = createRedactor([]);
    process.stderr.write(`card-conformance: ${redactor.redactText((e as Error).message ?? String(e))}\n`);
    if (process.env.CARD_CONFORMANCE_DEBUG) process.stderr.write(`${redactor.redactText(String((e as Error).stack))}\n`);
    return 3;
  }
}

// `card-conformance run | head` closes the pipe early; that is not an error of the run.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
