import { type ImageJob, runImageJob } from './catalog-image-store.ts';

// The catalog image is built here, off the page's main thread: reading 1.5 million rows and
// sorting a million names would otherwise freeze the register for seconds.
onmessage = (e: MessageEvent<ImageJob>) => {
  runImageJob(indexedDB, IDBKeyRange, e.data).then(
    (result) => postMessage({ ok: true, result }),
    (error: unknown) => postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
};
