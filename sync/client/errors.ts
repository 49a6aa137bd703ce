/**
 * What the register cannot do for the cashier, and why, as a code the screens put in their own
 * language (renderer/errors.ts). The message stays English, for logs, diagnostics and tests.
 */
export type RegisterErrorCode =
  /** An order this register does not hold, while HQ cannot be reached. */
  | 'order_unreachable'
  | 'order_not_found'
  | 'not_an_order_number'
  /** A receipt this register does not hold, while HQ cannot be reached. */
  | 'receipt_unreachable'
  /** A receipt HQ does not hold (yet: its register may still be offline). */
  | 'receipt_unknown_at_hq'
  /** A return asked for an order none of whose lines has been handed out. */
  | 'nothing_handed_out'
  /** What was typed or scanned at a return is no receipt number, order number or receipt code. */
  | 'not_a_return_source'
  /** A return's own number typed where the original receipt or order is asked for. */
  | 'is_a_return'
  /** No WebCrypto (not a secure origin): receipt codes cannot be checked. */
  | 'no_webcrypto'
  | 'receipt_code_malformed'
  | 'receipt_code_unknown_key'
  | 'receipt_code_altered'
  | 'shift_already_open'
  | 'no_shift_open';

export class RegisterError extends Error {
  constructor(
    readonly code: RegisterErrorCode,
    /** The number or text the problem is about (an order or receipt number, what was typed); '' when none. */
    readonly subject: string,
    message: string,
  ) {
    super(message);
    this.name = 'RegisterError';
  }
}
