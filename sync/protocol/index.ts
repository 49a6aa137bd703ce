export * from './docs.ts';
export * from './wire.ts';
export * from './validate.ts';
export * from './sale-payload.ts';
export * from './pin.ts';
export * from './receipt-code.ts';
