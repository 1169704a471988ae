#!/usr/bin/env node
// The published entry point runs the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/app/cli.js';

// A reader that stopped early (ptgw outbox list | head) closes the pipe: stop quietly, as Unix
// tools do, not with a stack trace about EPIPE. Any other stdout failure stays loud.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
