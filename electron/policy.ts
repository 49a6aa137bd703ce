import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';

/**
 * The Electron shell's security decisions as plain functions, so they are tested without an
 * Electron binary. main.ts only wires these into Electron's hooks; it decides nothing itself.
 */

/** The register's UI is served from this privileged custom scheme, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kassa';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Electron's security checklist, as web preferences: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    // A middle click (auxclick) can open a link in a new window; new windows are denied anyway,
    // and the register has no use for the event (Electronegativity's AUXCLICK_JS_CHECK).
    disableBlinkFeatures: 'Auxclick',
  };
}

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Kassa',
    backgroundColor: '#f3f4f6',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Whether a URL is the register's own UI (the only content the window may show). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** The window never navigates away from the register's UI (a link, a drop, a redirect). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** New windows are never opened (window.open, target=_blank). */
export function decideWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** IPC is answered only for the register's own top frame. */
export function isTrustedSender(frameUrl: string | undefined | null): boolean {
  return typeof frameUrl === 'string' && isAppUrl(frameUrl);
}

/** Origin of HQ as the CSP's connect-src needs it ("https://hq.example.nl"), or null when not a web URL. */
export function hqOrigin(hqUrl: string | undefined): string | null {
  const u = hqUrl ? parse(hqUrl) : null;
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  return u.origin;
}

/**
 * The Content-Security-Policy of the register's UI: its own scripts only, no inline script, no
 * eval, no plugins, no frames; network only to HQ. Before enrolment HQ's address is not known
 * yet, so connect-src also allows http(s) until the register is configured.
 */
export function contentSecurityPolicy(hqUrl: string | undefined): string {
  const hq = hqOrigin(hqUrl);
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    // React sets style attributes; styles cannot run code.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self' ${hq ?? 'http: https:'}`,
    `object-src 'none'`,
    `frame-src 'none'`,
    `worker-src 'self'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/**
 * Maps a request on the app scheme to a file inside the renderer's folder, or null for
 * anything else (another host, a path that climbs out of the folder).
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  const u = parse(requestUrl);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, normalize(`.${path}`));
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && MIME[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/** Permission requests from the page (camera, notifications, …): the register needs none. */
export function allowPermission(_permission: string): boolean {
  return false;
}
