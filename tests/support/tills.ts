import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { SyncStatus } from '../../sync/client/api.ts';
import { type Enrolled, type RegisterClient, enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { waitFor } from './hq-process.ts';

/**
 * Real registers in Node for integration tests: the sync client's RxDB on Dexie over
 * fake-indexeddb, one IndexedDB per register, kept across restarts.
 */

export function storageOn(factory: IDBFactory): RxStorage<unknown, unknown> {
  return getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;
}

/** Waits (30 s at most) until the register's sync status satisfies `check`; the error shows the last status. */
export async function until(client: RegisterClient, what: string, check: (s: SyncStatus) => boolean): Promise<SyncStatus> {
  try {
    return await waitFor(what, async () => (check(client.getStatus()) ? client.getStatus() : null), 30_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; status: ${JSON.stringify(client.getStatus())}`);
  }
}

/** A register: its enrolment and its own IndexedDB, kept across restarts. */
export interface Till {
  identity: Enrolled;
  idb: IDBFactory;
}

export async function enrolTill(hqUrl: string, storeId: string, registerId: string, adminToken: string): Promise<Till> {
  return { identity: await enrolmentApi.enrol(hqUrl, storeId, registerId, adminToken), idb: new IDBFactory() };
}

/**
 * Opens the register (live: replicating with HQ), waits for its first sync when HQ is up, runs
 * `fn`, closes it. A register has 11 RxDB collections and RxDB's open-source edition allows 13
 * open in one process, so tests take registers in turns like this, never two at once.
 */
export async function usingTill<T>(t: Till, fn: (c: RegisterClient) => Promise<T>, opts: { hqUp?: boolean } = {}): Promise<T> {
  const c = await openRegister(t.identity, { storage: storageOn(t.idb) });
  try {
    if (opts.hqUp !== false) await until(c, `first sync of ${t.identity.storeId}-${t.identity.registerId}`, (s) => s.online && s.firstSync.done);
    return await fn(c);
  } finally {
    await c.close();
  }
}
