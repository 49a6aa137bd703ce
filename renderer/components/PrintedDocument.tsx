import { type ReactNode, useState } from 'react';
import { getHost } from '../bridge/index.ts';
import { dateTime } from '../format.ts';
import { t } from '../i18n.ts';

/** The document's number as it is printed: "Receipt number: 1001-02-000042". */
export interface DocumentNumber {
  label: string;
  value: string;
  /** The value's data-testid (tests read "receipt-number", "order-number", "return-number"). */
  testId: string;
  /** Large, on a line of its own: the number a customer quotes (an order, a return). */
  prominent?: boolean;
}

/** The screen's primary button: what the cashier does once the document is out. */
export interface DoneAction {
  label: ReactNode;
  onClick: () => void;
  autoFocus?: boolean;
}

/** Used in the PDF's file name: "receipt-1001-02-000042.pdf". */
export type DocumentKind = 'receipt' | 'order' | 'pickup' | 'return' | 'report';

export interface PrintedDocumentProps {
  kind: DocumentKind;
  /** The document's name: its heading and the article's accessible name ("Receipt", "Order confirmation"). */
  title: string;
  storeName: string;
  storeId: string;
  registerId: string;
  number: DocumentNumber;
  /** ISO time the document was made; nothing is shown without it. */
  createdAt?: string | null;
  operator?: string;
  /** Further lines of the head, under the number and time (the customer, a return's original). */
  details?: ReactNode;
  /** The body: the lines and money tables. */
  children: ReactNode;
  /** Under the body: notes, the return code. */
  footer?: ReactNode;
  done: DoneAction;
  /** Buttons between Save as PDF and the primary one (e.g. Back to order). */
  extraActions?: ReactNode;
}

/** "receipt-1001-02-000042": the kind, then the number without its letter prefix ("ORD-", "RET-"). */
export function documentFileName(kind: DocumentKind, number: string): string {
  return `${kind}-${number.replace(/^[A-Za-z]+-/, '')}`;
}

/**
 * Every printed document of the register — receipts, order confirmations, pick-up and return
 * receipts, the shift reports to come — from one template: the store and register, the
 * document's name, number, time and operator, its body, a footer, and the row of actions
 * (Print, Save as PDF, the caller's own, the primary one). On screen it is a narrow panel; on
 * paper (styles.css, @media print) it is 74 mm wide on an 80 mm page, and the actions are not
 * printed. Print goes to the receipt printer chosen on the Support screen (Electron) or through
 * the print dialog; Save as PDF writes an 80 mm PDF (Electron) or opens the browser's dialog.
 */
export function PrintedDocument(props: PrintedDocumentProps) {
  const { kind, title, number, createdAt, operator, details, children, footer, done, extraActions } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const run = async (action: () => Promise<{ text: string; error: boolean } | null>): Promise<void> => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage(await action());
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  const print = () =>
    run(async () => {
      const result = await getHost().print({ silent: true });
      return result.ok ? null : { text: t.printFailed(result.error ?? '?'), error: true };
    });

  const savePdf = () =>
    run(async () => {
      const result = await getHost().savePdf(documentFileName(kind, number.value));
      if (!result.ok) return { text: t.pdfFailed(result.error ?? '?'), error: true };
      return result.path ? { text: t.pdfSaved(result.path), error: false } : null;
    });

  return (
    <main className={`panel narrow receipt-screen document-${kind}`}>
      <article className="receipt" aria-label={title}>
        <header>
          <h1>{props.storeName}</h1>
          <p>{t.storeRegister(props.storeId, props.registerId)}</p>
          <h2 className="receipt-kind">{title}</h2>
          <p className={number.prominent ? 'doc-number prominent' : 'doc-number'}>
            {number.label}:{' '}
            <strong className={number.prominent ? 'order-no' : undefined} data-testid={number.testId}>
              {number.value}
            </strong>
          </p>
          {createdAt && <p>{dateTime(createdAt)}</p>}
          {operator && (
            <p>
              {t.operator}: {operator}
            </p>
          )}
          {details}
        </header>
        {children}
        {footer && <footer className="doc-footer">{footer}</footer>}
      </article>
      <div className="actions no-print">
        <button type="button" onClick={() => void print()} disabled={busy}>
          {t.print}
        </button>
        <button type="button" onClick={() => void savePdf()} disabled={busy}>
          {t.saveAsPdf}
        </button>
        {extraActions}
        <button type="button" className="primary" onClick={done.onClick} autoFocus={done.autoFocus}>
          {done.label}
        </button>
      </div>
      <p className={`no-print print-message${message?.error ? ' error' : ''}`} aria-live="polite">
        {message?.text}
      </p>
    </main>
  );
}
