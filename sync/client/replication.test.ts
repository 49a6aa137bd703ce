import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { describe, expect, it } from 'vitest';
import { HqResponseError, HqUnreachableError } from './http.ts';
import { isRefusal } from './replication.ts';

// Only HQ's own "this record is wrong" answers make the register stop sending a sale; anything
// else — a gateway's 4xx, a timeout, HQ down — is retried, so no sale is given up on by mistake.
describe('isRefusal', () => {
  it('takes HQ’s own refusals of a record', () => {
    for (const status of [400, 403, 409, 413, 422]) {
      expect(isRefusal(new HqResponseError(status, { error: 'invalid', message: 'totalCents: must be …', field: '[0].newDocumentState.totalCents' }))).toBe(true);
    }
  });

  it('retries what a proxy or gateway answered, and what is not about the record', () => {
    expect(isRefusal(new HqResponseError(408, { error: 'http_408', message: 'HQ answered 408' }))).toBe(false);
    expect(isRefusal(new HqResponseError(400, { error: 'http_400', message: 'HQ answered 400' }))).toBe(false);
    expect(isRefusal(new HqResponseError(404, { error: 'not_found', message: 'no route' }))).toBe(false);
    expect(isRefusal(new HqResponseError(401, { error: 'token_expired', message: 'expired' }))).toBe(false);
    expect(isRefusal(new HqResponseError(429, { error: 'rate_limited', message: 'later' }))).toBe(false);
    expect(isRefusal(new HqResponseError(503, { error: 'http_503', message: 'HQ answered 503' }))).toBe(false);
    expect(isRefusal(new HqUnreachableError(new Error('ECONNREFUSED')))).toBe(false);
  });
});

// Returns replicate both ways in ONE RxDB replication state. RxDB's protocol must not hand the
// push handler what its own pull wrote — checked here on the protocol itself (the register's
// push handler also drops other registers' records, which would hide a failure of this).
describe('one collection pulled and pushed by one replication state', () => {
  const doc = (id: string, storeId: string) => ({ id, storeId, n: 1 });

  it('pushes only what was written locally, also after a restart', async () => {
    const db = await createRxDatabase({ name: 'both-ways', storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }), multiInstance: false });
    await db.addCollections({
      records: {
        schema: {
          version: 0,
          primaryKey: 'id',
          type: 'object',
          properties: { id: { type: 'string', maxLength: 40 }, storeId: { type: 'string' }, n: { type: 'integer' } },
          required: ['id', 'storeId', 'n'],
        },
      },
    });
    const master = [doc('THEIRS-1', '1003'), doc('THEIRS-2', '1004')];
    const pushed: string[] = [];
    const start = () =>
      replicateRxCollection<{ id: string; storeId: string; n: number }, number>({
        collection: db.records!,
        replicationIdentifier: 'both-ways-test',
        live: true,
        waitForLeadership: false,
        pull: {
          handler: async (checkpoint) => {
            const from = checkpoint ?? 0;
            return { documents: master.slice(from).map((d) => ({ ...d, _deleted: false })), checkpoint: master.length };
          },
        },
        push: {
          handler: async (rows) => {
            pushed.push(...rows.map((r) => r.newDocumentState.id));
            return [];
          },
        },
      });
    let state = start();
    await state.awaitInitialReplication();
    await db.records!.insert(doc('MINE-1', '1002'));
    await state.awaitInSync();
    expect((await db.records!.find().exec()).map((d) => d.id).sort()).toEqual(['MINE-1', 'THEIRS-1', 'THEIRS-2']);
    expect(pushed).toEqual(['MINE-1']);

    // Restarted (the register reopened), with a new record at HQ.
    await state.cancel();
    master.push(doc('THEIRS-3', '1003'));
    state = start();
    await state.awaitInitialReplication();
    await db.records!.insert(doc('MINE-2', '1002'));
    await state.awaitInSync();
    expect((await db.records!.count().exec())).toBe(5);
    expect(pushed).toEqual(['MINE-1', 'MINE-2']);
    await state.cancel();
    await db.close();
  });
});
