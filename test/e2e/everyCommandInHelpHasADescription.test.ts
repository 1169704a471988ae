import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface HelpEntry {
  term: string;
  description: string;
}

/** The entries of one section ("Commands:", "Options:") of commander's help, continuation lines joined. */
function section(help: string, title: string): HelpEntry[] {
  const lines = help.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const entries: HelpEntry[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const entry = /^ {2}(\S(?:\S| (?! ))*)(?: {2,}(\S.*))?$/.exec(line);
    if (entry !== null) entries.push({ term: entry[1] as string, description: entry[2] ?? '' });
    else (entries.at(-1) as HelpEntry).description += ` ${line.trim()}`;
  }
  return entries;
}

describe('ptgw --help and the help of every command and sub-command', () => {
  // Some twenty runs of the CLI, one after the other.
  it('give every command, argument and option a description', { timeout: 120_000 }, async () => {
    const missing: string[] = [];
    const visit = async (path: string[]): Promise<void> => {
      const r = await runCli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      // Below "Usage: …" commander prints the command's own description, when it has one.
      const [, second, third] = r.stdout.split('\n');
      if (second !== '' || third === undefined || third === '' || third.endsWith(':')) missing.push(`ptgw ${path.join(' ')} (its own help)`);
      for (const entry of [...section(r.stdout, 'Arguments'), ...section(r.stdout, 'Options')]) if (entry.description === '') missing.push(`ptgw ${path.join(' ')} ${entry.term}`);
      for (const command of section(r.stdout, 'Commands')) {
        const name = command.term.split(' ')[0] as string;
        if (command.description === '') missing.push(`ptgw ${[...path, command.term].join(' ')}`);
        if (name !== 'help') await visit([...path, name]);
      }
    };
    await visit([]);
    expect(missing).toEqual([]);
  });
});
