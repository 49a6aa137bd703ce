import { canonicalJson } from './canonical.ts';
import { sha256Hex } from './sha256.ts';

/**
 * Tamper evidence: every record a register makes carries the hash of the record it made before
 * (its predecessor) and a hash of its own content. Changing, removing or inserting a record
 * anywhere breaks a link that HQ can see. The chain follows the order the register wrote its
 * records in, by sequence number; wall clocks play no part.
 */
export interface ChainLink {
  /** Sequence number of the previous record of this register, or null for the first. */
  prevSeq: number | null;
  /** That record's hash, or null for the first. */
  prevHash: string | null;
  /** SHA-256 (hex) of this record's content, including prevSeq and prevHash. */
  hash: string;
}

/** The head of a register's chain: its last sealed record. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The text a record's hash is taken over: all of its fields but `hash` (and RxDB's `_deleted`). */
export function chainPayload(record: object): string {
  const { hash: _hash, _deleted: _d, ...content } = record as Record<string, unknown>;
  return canonicalJson(content);
}

export function recordHash(record: object): string {
  return sha256Hex(chainPayload(record));
}

/** Links a new record to the chain's head and seals it. */
export function seal<T extends { seq: number }>(record: T, head: ChainHead | null): T & ChainLink {
  if (head && head.seq >= record.seq) throw new RangeError(`record ${record.seq} cannot follow ${head.seq}`);
  const linked = { ...record, prevSeq: head?.seq ?? null, prevHash: head?.hash ?? null };
  return { ...linked, hash: recordHash(linked) };
}

export type ChainFinding =
  | { kind: 'altered'; seq: number; reason: string }
  | { kind: 'broken'; seq: number; reason: string }
  | { kind: 'gap'; seq: number; reason: string }
  | { kind: 'numbers_skipped'; seq: number; reason: string }
  | { kind: 'restart'; seq: number; reason: string };

/**
 * Checks a run of one register's records (any order): each record's own hash, and each link to
 * the predecessor it names. `known` gives records already checked before (e.g. held by HQ),
 * by sequence number, so a new batch links to them. Findings are for people: nothing is dropped.
 */
export function verifyChain<R extends ChainLink & { seq: number }>(
  records: readonly R[],
  known: ReadonlyMap<number, string> = new Map(),
  /** The record's content hash; HQ passes one computed natively and ahead of time. */
  hashOf: (record: R) => string = recordHash,
): ChainFinding[] {
  const findings: ChainFinding[] = [];
  const hashes = new Map(known);
  for (const r of records) hashes.set(r.seq, r.hash);
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if (hashOf(r) !== r.hash) findings.push({ kind: 'altered', seq: r.seq, reason: 'its content does not match its hash' });
    if (r.prevSeq === null) {
      if (r.prevHash !== null) findings.push({ kind: 'broken', seq: r.seq, reason: 'names a predecessor hash without its number' });
      else if (r.seq !== 1) findings.push({ kind: 'restart', seq: r.seq, reason: 'starts a new chain after earlier numbers' });
      continue;
    }
    if (r.prevSeq >= r.seq) {
      findings.push({ kind: 'broken', seq: r.seq, reason: `names ${r.prevSeq} as its predecessor` });
      continue;
    }
    if (r.prevSeq !== r.seq - 1) {
      findings.push({ kind: 'numbers_skipped', seq: r.seq, reason: `numbers ${r.prevSeq + 1}–${r.seq - 1} were never used` });
    }
    const prev = hashes.get(r.prevSeq);
    if (prev === undefined) findings.push({ kind: 'gap', seq: r.seq, reason: `its predecessor ${r.prevSeq} is missing` });
    else if (prev !== r.prevHash) findings.push({ kind: 'broken', seq: r.seq, reason: `its predecessor ${r.prevSeq} is not the record it was chained to` });
  }
  return findings;
}
