import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEMO_SV } from './syncHarness.js';

/** Writes a config for a gateway against a simulator into `dir`, with its secret file; returns the path. */
export function writeGatewayConfig(dir: string, simUrl: string, extra: Record<string, unknown> = {}): string {
  writeFileSync(join(dir, 'client-secret'), 'demo-secret\n');
  const config = {
    site: { timeZone: 'Europe/Brussels' },
    protime: { tenant: 'demo', baseUrl: simUrl, clientId: 'gw', clientSecretFile: 'client-secret', structureVersions: [{ id: DEMO_SV, levels: 3 }] },
    cache: { path: 'cache.sqlite' },
    http: { listen: '127.0.0.1:0' },
    ...extra,
  };
  const file = join(dir, 'config.yaml');
  writeFileSync(file, stringify(config));
  return file;
}
