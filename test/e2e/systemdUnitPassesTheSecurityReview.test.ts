import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PTGW_BIN } from '../support/cli.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const UNIT = new URL('../../systemd/ptgw.service', import.meta.url);

/** The settings `systemd-analyze security` marks as open (✗), by name, and the overall exposure. */
function review(): { open: string[]; exposure: number } {
  const unit = join(tempDir(), 'ptgw.service');
  writeFileSync(unit, readFileSync(UNIT, 'utf8').replace('/usr/bin/ptgw', PTGW_BIN));
  let out: string;
  try {
    out = execFileSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', unit], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // It exits non-zero above its threshold, and still prints the table.
    out = String((err as { stdout?: string }).stdout);
  }
  const open = [...out.matchAll(/^✗ (\S+)/gm)].map((m) => m[1] as string);
  const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(out)?.[1]);
  return { open, exposure };
}

describe('the systemd unit under systemd-analyze security', () => {
  it('leaves open only what the daemon needs: its network, its serial and hidraw devices and their groups, and V8\'s JIT', () => {
    const { open, exposure } = review();
    // The cache (badge numbers) and anything else it writes stay private to its user.
    expect(open).not.toContain('UMask=');
    // Other processes' command lines and environments are none of its business.
    expect(open).not.toContain('ProtectProc=');
    expect(open).not.toContain('PrivateMounts=');
    // @resources stays: Node raises its open-file limit at start (setrlimit) for the HTTP clients and devices.
    expect(open.filter((name) => name.startsWith('SystemCallFilter='))).toEqual(['SystemCallFilter=~@resources']);
    expect(exposure).toBeLessThanOrEqual(2.5);
  });
});
