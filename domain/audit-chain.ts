import { createHash } from 'node:crypto';

/**
 * The access audit as a hash chain: each entry's `row_hash` is SHA-256 over a
 * canonical encoding of every field and the previous entry's hash, so an entry
 * altered, deleted or slipped in between shows as the first link that no
 * longer holds. Pure: rows in, a verdict out (db/repositories/access-audit.ts
 * reads and writes them).
 */

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Every field of an audit entry, as stored; the chain covers all of them. */
export interface AuditChainFields {
  readonly audit_id: string;
  readonly occurred_at: string;
  readonly actor_aad_object_id: string | null;
  readonly actor_worker_id: string | null;
  readonly actor_role: string | null;
  readonly action: string;
  readonly person_id: string | null;
  readonly outcome: string;
  readonly basis: string;
  readonly shown: string;
  readonly run_id: string | null;
  readonly channel: string | null;
}

export interface ChainedAuditEntry extends AuditChainFields {
  readonly seq: number | null;
  readonly prev_hash: string | null;
  readonly row_hash: string | null;
}

/** The last link, kept beside the chain (and, printed by `audit verify`, anywhere else). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * SHA-256 (hex) over a JSON array of a version tag, the position, every field
 * in a fixed order and the previous hash. JSON's string escaping makes the
 * encoding unambiguous (no field can end early), and null stays distinct from ''.
 * Never change this encoding: entries already written are hashed with it.
 */
export function auditEntryHash(seq: number, fields: AuditChainFields, prevHash: string): string {
  const canonical = JSON.stringify([
    'access_audit/v1',
    seq,
    fields.audit_id,
    fields.occurred_at,
    fields.actor_aad_object_id,
    fields.actor_worker_id,
    fields.actor_role,
    fields.action,
    fields.person_id,
    fields.outcome,
    fields.basis,
    fields.shown,
    fields.run_id,
    fields.channel,
    prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainBreakKind = 'altered' | 'deleted' | 'inserted';

/** The first link that does not hold: where, what kind, and in words. */
export interface ChainBreak {
  readonly kind: ChainBreakKind;
  /** The position the break is at (the first missing one, for a deletion). */
  readonly seq: number | null;
  /** The entry named (for a deletion: the first entry after the gap, or null at the end). */
  readonly auditId: string | null;
  readonly detail: string;
}

export type ChainVerdict = { readonly ok: true; readonly entries: number; readonly head: ChainHead } | { readonly ok: false; readonly entries: number; readonly broken: ChainBreak };

const name = (row: ChainedAuditEntry) => `seq ${row.seq} (audit id ${row.audit_id})`;

/**
 * Checks entries fed in seq order (then audit id), one at a time, so a chain of
 * millions needs no more memory than the entries sharing one seq. Stops at the
 * first break.
 */
export class AuditChainVerifier {
  private group: ChainedAuditEntry[] = [];
  private expected = 1;
  private prevHash = GENESIS_HASH;
  private prevRow: ChainedAuditEntry | null = null;
  private checked = 0;
  private broken: ChainBreak | null = null;
  /** An anchor kept elsewhere: its seq, and the hash found there while walking. */
  private anchorSeq: number | null = null;
  private anchorHash: { hash: string; auditId: string } | null = null;

  get failed(): boolean {
    return this.broken !== null;
  }

  /** The highest seq fed so far (0 before any). */
  get lastSeq(): number {
    return this.group.length > 0 ? Number(this.group[0].seq) : this.expected - 1;
  }

  push(row: ChainedAuditEntry): void {
    if (this.broken) return;
    if (this.group.length > 0 && row.seq !== this.group[0].seq) this.settle(row);
    if (!this.broken) this.group.push(row);
  }

  /**
   * The verdict, once every entry is fed: the last entries must end at the
   * recorded head, and at an anchor kept elsewhere if one is given.
   */
  finish(head: ChainHead | null, anchor?: ChainHead): ChainVerdict {
    if (!this.broken && this.group.length > 0) this.settle(null, head);
    const last = this.expected - 1;
    if (!this.broken) this.broken = this.checkHead(head, last) ?? (anchor ? this.checkAnchor(anchor, last) : null);
    if (this.broken) return { ok: false, entries: this.checked, broken: this.broken };
    return { ok: true, entries: this.checked, head: { seq: last, hash: this.prevHash } };
  }

  /** Call before feeding entries to have the anchor's entry remembered. */
  watchAnchor(anchor: ChainHead): void {
    this.anchorSeq = anchor.seq;
  }

  private settle(next: ChainedAuditEntry | null, head?: ChainHead | null): void {
    const group = this.group;
    this.group = [];
    const first = group[0];
    const seq = first.seq;
    if (seq === null || !Number.isInteger(seq) || seq < this.expected) {
      this.broken = { kind: 'inserted', seq, auditId: first.audit_id, detail: `audit id ${first.audit_id} has seq ${seq}, which is not a position in the chain (expected ${this.expected})` };
      return;
    }
    if (seq > this.expected) {
      const gap = seq - 1 > this.expected ? `seq ${this.expected}–${seq - 1} are` : `seq ${this.expected} is`;
      const before = this.prevRow ? `after ${name(this.prevRow)}` : 'at the start';
      this.broken = { kind: 'deleted', seq: this.expected, auditId: first.audit_id, detail: `${gap} missing ${before}, before ${name(first)}: entries were deleted` };
      return;
    }
    if (group.length > 1) {
      // Two entries claim one place: the one the next link (or the head) points at is the chain's.
      const genuine =
        group.find((r) => (next ? next.prev_hash === r.row_hash : head?.seq === seq && head.hash === r.row_hash)) ??
        group.find((r) => r.prev_hash === this.prevHash && r.row_hash === auditEntryHash(seq, r, this.prevHash)) ??
        first;
      const intruder = group.find((r) => r !== genuine)!;
      this.broken = { kind: 'inserted', seq, auditId: intruder.audit_id, detail: `${name(intruder)} was inserted: the chain runs through audit id ${genuine.audit_id} at seq ${seq}` };
      return;
    }
    const row = first;
    if (row.row_hash !== auditEntryHash(seq, row, row.prev_hash ?? '')) {
      this.broken = { kind: 'altered', seq, auditId: row.audit_id, detail: `${name(row)} was altered: its fields no longer match its hash` };
      return;
    }
    if (row.prev_hash !== this.prevHash) {
      const prev = this.prevRow;
      // The entry named is the one before: it no longer counts as holding.
      if (prev) this.checked--;
      this.broken = prev
        ? { kind: 'altered', seq: prev.seq, auditId: prev.audit_id, detail: `${name(prev)} was altered and re-hashed, or replaced: ${name(row)} records a different previous hash` }
        : { kind: 'altered', seq, auditId: row.audit_id, detail: `${name(row)} is the first entry but does not start from the genesis hash` };
      return;
    }
    if (this.anchorSeq === seq) this.anchorHash = { hash: row.row_hash!, auditId: row.audit_id };
    this.prevHash = row.row_hash!;
    this.prevRow = row;
    this.expected = seq + 1;
    this.checked++;
  }

  private checkHead(head: ChainHead | null, last: number): ChainBreak | null {
    if (!head) return last === 0 ? null : { kind: 'deleted', seq: null, auditId: null, detail: 'the chain head (audit_chain_head) is missing' };
    if (head.seq > last) {
      const gap = head.seq > last + 1 ? `seq ${last + 1}–${head.seq} are` : `seq ${head.seq} is`;
      return { kind: 'deleted', seq: last + 1, auditId: null, detail: `${gap} missing at the end (the head records seq ${head.seq}): the latest entries were deleted` };
    }
    if (head.seq < last) {
      return { kind: 'inserted', seq: head.seq + 1, auditId: null, detail: `entries after seq ${head.seq}, where the head ends, up to seq ${last} were appended without moving the head` };
    }
    if (head.hash !== this.prevHash) {
      return { kind: 'altered', seq: last, auditId: this.prevRow?.audit_id ?? null, detail: `${this.prevRow ? name(this.prevRow) : `seq ${last}`} does not match the head's hash: the last entry or the head was rewritten` };
    }
    return null;
  }

  private checkAnchor(anchor: ChainHead, last: number): ChainBreak | null {
    if (anchor.seq > last) return { kind: 'deleted', seq: last + 1, auditId: null, detail: `the head you kept is seq ${anchor.seq}, but the chain ends at seq ${last}: entries were deleted and the head rewritten` };
    if (anchor.seq === 0) return anchor.hash === GENESIS_HASH ? null : { kind: 'altered', seq: 0, auditId: null, detail: 'the head you kept at seq 0 is not the genesis hash' };
    if (this.anchorHash?.hash !== anchor.hash) {
      return { kind: 'altered', seq: anchor.seq, auditId: this.anchorHash?.auditId ?? null, detail: `seq ${anchor.seq} no longer has the hash you kept (${anchor.hash.slice(0, 12)}…): the chain up to it was rewritten` };
    }
    return null;
  }
}

/** The one line `audit verify` prints: OK with the count and the head to keep, or the first broken link. */
export function chainVerdictLine(verdict: ChainVerdict): string {
  if (verdict.ok) return `audit chain OK: ${verdict.entries.toLocaleString('en-GB')} entries; head ${verdict.head.seq}:${verdict.head.hash}`;
  const b = verdict.broken;
  return `audit chain BROKEN at seq ${b.seq ?? '-'}${b.auditId ? ` (audit id ${b.auditId})` : ''}: ${b.kind}: ${b.detail} (${verdict.entries.toLocaleString('en-GB')} entries before it hold)`;
}
