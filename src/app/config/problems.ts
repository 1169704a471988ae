import type { z } from 'zod';
import type { ConfigProblem } from './configTypes.js';
import type { PathProblem } from './crossChecks.js';
import { unknownKeyMessage, type KnownKeys } from './issueMessages.js';
import type { YamlLocator } from './yamlLocator.js';

/** How many problems the CONFIG_INVALID message spells out; `ptgw check-config` lists them all. */
const SHOWN = 3;

/** `['terminals', 0, 'levels']` → `terminals[0].levels`, the way an operator finds it in the file. */
export function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc === '' ? String(k) : `${acc}.${String(k)}`), '');
}

/**
 * Said with a refused value that holds `${`: it reads like a variable the loader would expand, and
 * deliberately does not (see loadConfig), so the format error alone would puzzle whoever wrote it.
 */
const NOT_EXPANDED =
  'ptgw does not expand environment variables such as ${...} in its config: write the value itself, and put secrets in protime.clientSecretFile or http.adminTokenFile, $CREDENTIALS_DIRECTORY or PTGW_CLIENT_SECRET / PTGW_ADMIN_TOKEN';

export function locateProblem(locator: YamlLocator, problem: PathProblem): ConfigProblem {
  const value: unknown = locator.doc.getIn(problem.path);
  const message = typeof value === 'string' && value.includes('${') ? `${problem.message} (${NOT_EXPANDED})` : problem.message;
  return { ...locator.locate(problem.path), key: keyOf(problem.path), message };
}

/** Zod's issues as problems; an issue about unknown keys becomes one problem per key, at that key's line. */
export function fromIssues(locator: YamlLocator, issues: readonly z.core.$ZodIssue[], known: KnownKeys): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const accepted = known.get(keyOf(issue.path));
      for (const k of issue.keys) out.push(locateProblem(locator, { path: [...issue.path, k], message: unknownKeyMessage(k, accepted) }));
    } else {
      out.push(locateProblem(locator, { path: issue.path, message: issue.message }));
    }
  }
  return out;
}

/** File order (what an editor shows), problems without a line last; stable otherwise. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** `config.yaml line 12: terminals[0].levels: expected a list of level numbers`. */
export function formatProblem(fileName: string, p: ConfigProblem): string {
  return `${fileName}${p.line === undefined ? '' : ` line ${p.line}`}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`;
}

/** One message for the first few problems, pointing at check-config for the rest. */
export function summarise(fileName: string, problems: readonly ConfigProblem[]): string {
  const shown = problems.slice(0, SHOWN).map((p) => formatProblem(fileName, p));
  const more = problems.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more (ptgw check-config lists them all)` : '') + '.';
}
