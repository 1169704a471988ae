import { SCOPES as SCOPE } from '../../src/core/scopes.js';
import { fileURLToPath } from 'node:url';
import { loadFixture, startSimulator, type Fixture, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

/** Shared set-up of the simulator tests: the seed fixture, tokens, and a small JSON client. */

export const SEEDS_PATH = fileURLToPath(new URL('../fixtures/simulator/seeds.json', import.meta.url));
export const API = '/connector/protimeapi/api/v1';
export const SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';
export const IDS = {
  maintenance: '0b3642ae-16c9-4914-b099-2ba4b99d5ee9',
  production: 'a7d853ea-89eb-4735-83d1-b891c6fde398',
  order100: '22d320ed-f6ed-44bd-b7b1-fe58f518960c',
  order200: 'c0ffee00-0000-4000-8000-000000000200',
  windows: '38fc2206-b51f-434a-9c36-9e0esfc5e70e',
  inspection: 'c0ffee00-0000-4000-8000-000000020003',
  sales: 'c0ffee00-0000-4000-8000-000000122456',
} as const;
export const LEVEL = (level: number): string => `${API}/activity-structure-versions/${SV}/levels/${level}/activity-definitions`;
export { SCOPE };

const running: Simulator[] = [];

/** Starts a simulator on an ephemeral port with the seed fixture, optionally edited first. */
export async function startSeeded(options: Omit<SimulatorOptions, 'fixture'> = {}, edit?: (fixture: Fixture) => void): Promise<Simulator> {
  const fixture = loadFixture(SEEDS_PATH);
  edit?.(fixture);
  const sim = await startSimulator({ fixture, ...options });
  running.push(sim);
  return sim;
}

/** For afterEach: closes every simulator the test started. */
export async function closeSimulators(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.close()));
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function send(sim: Simulator, method: string, path: string, options: { token?: string; json?: unknown; raw?: string; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${sim.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: the test looks at the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export async function requestToken(sim: Simulator, form: Record<string, string>, tenant = 'demo'): Promise<Answer> {
  return send(sim, 'POST', `/tenants/${tenant}/connect/token`, { raw: new URLSearchParams(form).toString(), contentType: 'application/x-www-form-urlencoded' });
}

export async function tokenFor(sim: Simulator, scopes: string[] = Object.values(SCOPE), client = { id: 'gw', secret: 'secret' }): Promise<string> {
  const answer = await requestToken(sim, { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: scopes.join(' ') });
  if (answer.status !== 200) throw new Error(`token request failed with ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { access_token: string }).access_token;
}

/** A client holding a token with every scope: `api('GET', path)`. */
export async function apiClient(sim: Simulator): Promise<(method: string, path: string, json?: unknown) => Promise<Answer>> {
  const token = await tokenFor(sim);
  return (method, path, json) => send(sim, method, path, { token, json });
}

/** Follows nextLinks from `first`, returning every page's body. */
export async function walk(api: (method: string, path: string) => Promise<Answer>, first: string): Promise<Answer['body'][]> {
  const pages = [];
  let link: string | undefined = first;
  while (link !== undefined) {
    const page = await api('GET', link);
    if (page.status !== 200) throw new Error(`GET ${link} answered ${page.status}: ${JSON.stringify(page.body)}`);
    pages.push(page.body);
    link = page.body.nextLink;
  }
  return pages;
}
