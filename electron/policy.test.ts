import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  allowPermission,
  contentSecurityPolicy,
  decideWindowOpen,
  isAllowedNavigation,
  isTrustedSender,
  mimeType,
  resolveAppFile,
  windowOptions,
} from './policy.ts';

describe('the register window', () => {
  it('follows Electron’s security checklist', () => {
    const prefs = windowOptions('/opt/kassa/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/opt/kassa/preload.cjs',
    });
  });

  it('stays on the register UI: no navigation elsewhere, no new windows', () => {
    expect(isAllowedNavigation(APP_ENTRY)).toBe(true);
    expect(isAllowedNavigation('app://kassa/assets/index.js')).toBe(true);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'app://user:pw@kassa/', 'javascript:alert(1)', 'not a url']) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
    expect(decideWindowOpen()).toEqual({ action: 'deny' });
  });

  it('answers IPC only for the register’s own frame', () => {
    expect(isTrustedSender('app://kassa/index.html')).toBe(true);
    expect(isTrustedSender('https://hq.example.nl/')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('grants the page no permissions', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) expect(allowPermission(p)).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows own scripts only and network to HQ only', () => {
    const csp = contentSecurityPolicy('https://hq.kassa.nl:8443/api');
    expect(csp).toContain(`script-src 'self'`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain(`connect-src 'self' https://hq.kassa.nl:8443`);
    expect(csp).toContain(`object-src 'none'`);
    expect(csp).toContain(`frame-ancestors 'none'`);
  });

  it('before enrolment, lets the register reach the HQ address the cashier types', () => {
    expect(contentSecurityPolicy(undefined)).toContain(`connect-src 'self' http: https:`);
    expect(contentSecurityPolicy('ftp://x')).toContain(`connect-src 'self' http: https:`);
  });
});

describe('serving the UI from app://kassa', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), '');

  it('maps app URLs to files inside the renderer folder', () => {
    expect(resolveAppFile(dir, 'app://kassa/')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://kassa/index.html')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://kassa/assets/app.js?v=1')).toBe(join(dir, 'assets', 'app.js'));
  });

  it('never serves a file outside it', () => {
    for (const url of [
      'app://kassa/../../etc/passwd',
      'app://kassa/%2e%2e/%2e%2e/etc/passwd',
      'app://kassa/assets/%2e%2e%2f%2e%2e%2fsecret',
      'app://kassa/%00index.html',
      'app://other/index.html',
      'https://kassa/index.html',
      'app://kassa/%E0%A4%A',
    ]) {
      const file = resolveAppFile(dir, url);
      expect(file === null || file.startsWith(`${dir}/`), url).toBe(true);
      if (file) expect(file.includes('..')).toBe(false);
    }
    expect(resolveAppFile(dir, 'app://kassa/%2e%2e/%2e%2e/etc/passwd')).not.toBe('/etc/passwd');
  });

  it('sends scripts and pages with their content types', () => {
    expect(mimeType('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('/x/unknown.bin')).toBe('application/octet-stream');
  });
});
