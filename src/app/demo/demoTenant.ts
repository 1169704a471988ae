import { fileURLToPath } from 'node:url';

/** The demo tenant shipped in demo/: what `ptgw demo` runs against, and `ptgw simulator` serves without --fixture. */
export const DEMO_FIXTURE = fileURLToPath(new URL('../../../demo/demo-tenant.json', import.meta.url));
