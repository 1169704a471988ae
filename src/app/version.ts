import { readFileSync } from 'node:fs';

/** The package version; src/app and dist/app both sit two levels below package.json. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const USER_AGENT = `ptgw/${VERSION} (protime-terminal-gateway)`;
