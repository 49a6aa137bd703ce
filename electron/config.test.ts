import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE, ConfigError, PRESET_FILE, configPaths, readConfig, writeConfig } from './config.ts';

function folders() {
  const root = mkdtempSync(join(tmpdir(), 'kassa-config-'));
  const exeDir = join(root, 'program');
  const resourcesDir = join(exeDir, 'resources');
  const userDataDir = join(root, 'userdata');
  mkdirSync(resourcesDir, { recursive: true });
  return { exeDir, resourcesDir, userDataDir, paths: configPaths({ exeDir, resourcesDir, userDataDir }) };
}

describe('register configuration', () => {
  it('starts empty on a fresh install', () => {
    expect(readConfig(folders().paths)).toEqual({});
  });

  it('takes IT’s preset dropped next to the program', () => {
    const f = folders();
    writeFileSync(
      join(f.exeDir, PRESET_FILE),
      JSON.stringify({ hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', enrolmentToken: 'enrol-abcdefgh', comment: 'rollout 2026' }),
    );
    expect(readConfig(f.paths)).toEqual({ hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', enrolmentToken: 'enrol-abcdefgh' });
  });

  it('lets the register’s own file win over the preset, and drops the enrolment token once enrolled', () => {
    const f = folders();
    writeFileSync(join(f.resourcesDir, PRESET_FILE), JSON.stringify({ hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', enrolmentToken: 'enrol-abcdefgh' }));
    writeConfig(f.paths, { hqUrl: 'https://hq2.kassa.nl', storeId: '1003', registerId: '02', registerToken: 'register-token-123', enrolmentToken: 'enrol-abcdefgh' });
    const config = readConfig(f.paths);
    expect(config).toEqual({ hqUrl: 'https://hq2.kassa.nl', storeId: '1003', registerId: '02', registerToken: 'register-token-123' });
    expect(readFileSync(join(f.userDataDir, CONFIG_FILE), 'utf8')).not.toContain('enrol-abcdefgh');
  });

  it('takes HQ’s address from KASSA_HQ_URL (npm start) unless the register already has one', () => {
    const f = folders();
    expect(readConfig(f.paths, { KASSA_HQ_URL: 'http://127.0.0.1:7400' }).hqUrl).toBe('http://127.0.0.1:7400');
    writeConfig(f.paths, { hqUrl: 'https://hq.kassa.nl' });
    expect(readConfig(f.paths, { KASSA_HQ_URL: 'http://127.0.0.1:7400' }).hqUrl).toBe('https://hq.kassa.nl');
  });

  it('keeps a renewed token with its expiry, and refuses an expiry that is not a time', () => {
    const f = folders();
    writeConfig(f.paths, { hqUrl: 'https://hq.kassa.nl', registerToken: 'register-token-789', tokenExpiresAt: '2027-11-25T10:00:00.000Z' });
    expect(readConfig(f.paths).tokenExpiresAt).toBe('2027-11-25T10:00:00.000Z');
    expect(() => writeConfig(f.paths, { tokenExpiresAt: 'next year' })).toThrow(/tokenExpiresAt/);
  });

  it('names the file and the field of a bad configuration', () => {
    const f = folders();
    writeFileSync(join(f.exeDir, PRESET_FILE), JSON.stringify({ hqUrl: 'https://hq.kassa.nl', storeId: 'Utrecht' }));
    expect(() => readConfig(f.paths)).toThrow(ConfigError);
    expect(() => readConfig(f.paths)).toThrow(/kassa-register\.json: storeId/);
    writeFileSync(join(f.exeDir, PRESET_FILE), '{ "hqUrl": ');
    expect(() => readConfig(f.paths)).toThrow(/kassa-register\.json: \(file\) is not JSON/);
    expect(() => writeConfig(f.paths, { hqUrl: 'javascript:alert(1)' })).toThrow(/hqUrl/);
  });

  it('names a bad token’s field without repeating the token (the message reaches the UI and the log)', () => {
    const f = folders();
    writeFileSync(join(f.exeDir, PRESET_FILE), JSON.stringify({ hqUrl: 'https://hq.kassa.nl', enrolmentToken: 'enrol secret with spaces' }));
    let message = '';
    try {
      readConfig(f.paths);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/enrolmentToken is not valid \(24 characters, hidden\)/);
    expect(message).not.toContain('secret with spaces');
    expect(() => writeConfig(f.paths, { registerToken: 'short' })).toThrow(/registerToken is not valid \(5 characters, hidden\)/);
  });

  it('writes atomically and privately: no temp file left, readable only by its owner', () => {
    const f = folders();
    writeConfig(f.paths, { hqUrl: 'https://hq.kassa.nl', registerToken: 'register-token-123' });
    writeConfig(f.paths, { hqUrl: 'https://hq.kassa.nl', registerToken: 'register-token-456' });
    expect(readdirSync(f.userDataDir)).toEqual([CONFIG_FILE]);
    expect(readConfig(f.paths).registerToken).toBe('register-token-456');
    if (process.platform !== 'win32') expect(statSync(f.paths.own).mode & 0o077).toBe(0);
    expect(existsSync(`${f.paths.own}.${process.pid}.tmp`)).toBe(false);
  });
});
