import type { PushCollection } from '../sync/protocol/docs.ts';
import { RegisterError } from '../sync/client/index.ts';
import { t } from './i18n.ts';

/**
 * What a screen says when the register could not do what was asked: a RegisterError in the
 * register's language, anything else with its own message (the domain's refusals, HQ's text).
 */
export function errorText(e: unknown): string {
  if (e instanceof RegisterError) return t.registerErrors[e.code](e.subject);
  return e instanceof Error ? e.message : String(e);
}

/**
 * A record HQ did not take, in the register's words (end of day, Support). A conflict is the
 * register's own finding, said in full; a refusal carries HQ's reason, which is HQ's text.
 */
export function ackProblemText(p: { id: string; kind: PushCollection; status: 'conflict' | 'refused'; message: string }): string {
  if (p.status === 'conflict') return t.ackProblem.conflict(t.recordNoun[p.kind], p.id);
  return t.ackProblem.refused(p.message);
}
