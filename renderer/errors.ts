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
