/** The app version, set by Vite at build time. */
declare const __KASSA_VERSION__: string;
