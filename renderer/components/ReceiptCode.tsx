import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { CompletedSale } from '../../src/sale.ts';
import { t } from '../i18n.ts';
import { useSession } from '../state.ts';

/** About 5 printer dots a module at 203 dpi; never wider than the 80 mm paper's print area allows. */
const MM_PER_MODULE = 0.6;
const MIN_MM = 34;
const MAX_MM = 64;

type Shown =
  | { state: 'loading' }
  | { state: 'code'; code: string; src: string; widthMm: number }
  | { state: 'none' }
  | { state: 'failed'; message: string };

/**
 * The receipt's signed return code as a QR code (error correction M), so that any store can take
 * the return, offline too. The code's text is in the DOM as well (data-testid="receipt-code",
 * hidden from view and from screen readers): what a 2-D scanner types.
 */
export function ReceiptCode({ sale }: { sale: CompletedSale }) {
  const client = useSession((s) => s.client);
  const [shown, setShown] = useState<Shown>({ state: 'loading' });

  useEffect(() => {
    if (!client) return;
    let live = true;
    void (async () => {
      try {
        const code = await client.receiptCode(sale);
        if (!code) {
          if (live) setShown({ state: 'none' });
          return;
        }
        const options = { errorCorrectionLevel: 'M', margin: 2 } as const;
        const modules = QRCode.create(code, options).modules.size + 2 * options.margin;
        const svg = await QRCode.toString(code, { ...options, type: 'svg' });
        const widthMm = Math.min(MAX_MM, Math.max(MIN_MM, Math.round(modules * MM_PER_MODULE)));
        if (live) setShown({ state: 'code', code, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, widthMm });
      } catch (e) {
        if (live) setShown({ state: 'failed', message: (e as Error).message });
      }
    })();
    return () => {
      live = false;
    };
  }, [client, sale]);

  if (shown.state === 'loading') return null;
  if (shown.state === 'none' || shown.state === 'failed') {
    return (
      <p className="receipt-code-missing" data-testid="receipt-code-missing">
        {shown.state === 'none' ? t.receiptCodeMissing : t.receiptCodeFailed(shown.message)}
      </p>
    );
  }
  return (
    <figure className="receipt-code">
      <img src={shown.src} alt={t.receiptCodeAlt} style={{ width: `${shown.widthMm}mm` }} data-testid="receipt-qr" />
      <figcaption>{t.receiptCodeCaption}</figcaption>
      <span className="sr-only" aria-hidden="true" data-testid="receipt-code" data-code={shown.code}>
        {shown.code}
      </span>
    </figure>
  );
}
