import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PTGW_BIN } from '../support/cli.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const UNIT = new URL('../../systemd/ptgw.service', import.meta.url);

describe('the systemd unit', () => {
  it('passes systemd-analyze verify and asks for what the daemon needs', () => {
    const text = readFileSync(UNIT, 'utf8');
    for (const line of ['Type=notify', 'WatchdogSec=', 'Restart=on-failure', 'StartLimitIntervalSec=0', 'DynamicUser=yes', 'SupplementaryGroups=dialout', 'StateDirectory=ptgw', 'ConfigurationDirectory=ptgw', 'LoadCredential=client-secret:', 'LoadCredential=admin-token:', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'RestrictAddressFamilies=', 'DeviceAllow=char-ttyUSB rw', 'DeviceAllow=char-hidraw rw']) {
      expect(text).toContain(line);
    }
    // verify checks that ExecStart exists: point it at this checkout's binary.
    const unit = join(tempDir(), 'ptgw.service');
    writeFileSync(unit, text.replace('/usr/bin/ptgw', PTGW_BIN));
    const out = execFileSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });
});
