import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { enrolmentApi } from '../../sync/client/index.ts';
import type { StoreDoc } from '../../sync/protocol/docs.ts';
import type { Enrolled } from '../../sync/client/index.ts';
import type { RegisterConfig } from '../bridge/types.ts';
import { t } from '../i18n.ts';
import { Field } from '../components/Field.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';

interface Props {
  preset: RegisterConfig;
  onEnrolled(identity: Enrolled): void;
}

/** First start: pick the register's identity from HQ's list and enrol with IT's token. */
export function Enrol({ preset, onEnrolled }: Props) {
  const [hqUrl, setHqUrl] = useState(preset.hqUrl ?? window.location.origin);
  const [stores, setStores] = useState<StoreDoc[]>([]);
  const [storeId, setStoreId] = useState(preset.storeId ?? '');
  const [registerId, setRegisterId] = useState(preset.registerId ?? '');
  const [token, setToken] = useState(preset.enrolmentToken ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadStores = useCallback(async (url: string) => {
    setError(null);
    try {
      const list = (await enrolmentApi.listStores(url)).filter((s) => s.kind === 'store');
      setStores(list);
      setStoreId((cur) => cur || list[0]?.id || '');
    } catch (e) {
      setStores([]);
      setError(t.cannotLoadStores(url, (e as Error).message));
    }
  }, []);

  const enrol = useCallback(
    async (url: string, store: string, register: string, enrolmentToken: string) => {
      setBusy(true);
      setError(null);
      try {
        onEnrolled(await enrolmentApi.enrol(url, store, register, enrolmentToken));
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [onEnrolled],
  );

  useEffect(() => {
    void loadStores(hqUrl);
    // IT preset everything: enrol by itself.
    if (preset.hqUrl && preset.storeId && preset.registerId && preset.enrolmentToken) {
      void enrol(preset.hqUrl, preset.storeId, preset.registerId, preset.enrolmentToken);
    }
    // Run once at first render; later changes go through the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const store = stores.find((s) => s.id === storeId);
  const registers = store?.registers;
  useEffect(() => {
    if (registers?.length && !registers.includes(registerId)) setRegisterId(registers[0] ?? '');
  }, [registers, registerId]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void enrol(hqUrl, storeId, registerId, token.trim());
  };

  return (
    <main className="panel narrow">
      <h1>{t.setupTitle}</h1>
      <p>{t.setupIntro}</p>
      <form onSubmit={submit} className="form">
        <div className="row">
          <Field label={t.hqAddress} className="grow">
            <input value={hqUrl} onChange={(e) => setHqUrl(e.target.value)} type="url" required />
          </Field>
          <button type="button" className="align-end" onClick={() => void loadStores(hqUrl)}>
            {t.loadStores}
          </button>
        </div>
        <Field label={t.store}>
          <select value={storeId} onChange={(e) => setStoreId(e.target.value)} required>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.town} — {s.name} ({s.id})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.register}>
          <select value={registerId} onChange={(e) => setRegisterId(e.target.value)} required>
            {(registers ?? []).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.enrolmentToken}>
          <input value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" required />
        </Field>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !storeId || !registerId || !token.trim()}>
          {busy ? t.enrolling : t.enrol}
        </button>
      </form>
      <LanguageSwitch />
    </main>
  );
}
