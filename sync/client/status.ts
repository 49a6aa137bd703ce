import type { SyncStatus } from './api.ts';

/** Holds the register's sync status and tells subscribers when it changes. */
export class StatusTracker {
  private status: SyncStatus;
  private readonly listeners = new Set<(s: SyncStatus) => void>();

  constructor(initial: Partial<SyncStatus> = {}) {
    this.status = {
      online: false,
      offlineSince: null,
      pending: 0,
      refused: 0,
      lastSyncAt: null,
      firstSync: { received: 0, total: null, done: false },
      lastError: null,
      lastErrorCode: null,
      lastErrorRecord: null,
      ...initial,
    };
  }

  get(): SyncStatus {
    return this.status;
  }

  update(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    for (const l of this.listeners) l(next);
  }

  /**
   * HQ answered. `ok` says it took the request: only then is it a sync ("last sync" does not
   * move on while HQ refuses the register or fails).
   */
  reachable(at = new Date(), ok = true): void {
    this.update({ online: true, offlineSince: null, ...(ok ? { lastSyncAt: at.toISOString() } : {}) });
  }

  unreachable(at = new Date()): void {
    if (!this.status.online && this.status.offlineSince) return;
    this.update({ online: false, offlineSince: this.status.offlineSince ?? at.toISOString() });
  }

  subscribe(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
