import { useEffect, useState } from 'react';
import type { Address, DeliveryMode, Fulfilment, OrderSettings } from '../../../src/order.ts';
import type { Availability, RegisterClient } from '../../../sync/client/index.ts';
import { clock, dateTime } from '../../format.ts';
import { locale, t } from '../../i18n.ts';
import { useSession } from '../../state.ts';

export type Places = ReadonlyMap<string, Pick<Availability, 'locationId' | 'name' | 'town' | 'kind' | 'here'>>;

let cache: { client: RegisterClient; places: Places } | null = null;

async function loadPlaces(client: RegisterClient): Promise<Places> {
  const here = client.identity.storeId;
  return new Map((await client.locations()).map((l) => [l.id, { locationId: l.id, name: l.name, town: l.town, kind: l.kind, here: l.id === here }]));
}

/**
 * Every store and warehouse by id, for names on screen, from the replica. Kept for the session:
 * the next screen shows names at once and reads them again.
 */
export function usePlaces(): Places {
  const client = useSession((s) => s.client);
  const [places, setPlaces] = useState<Places>(() => (cache && cache.client === client ? cache.places : new Map()));
  useEffect(() => {
    if (!client) return;
    let live = true;
    void loadPlaces(client).then(
      (p) => {
        if (p.size === 0) return;
        cache = { client, places: p };
        if (live) setPlaces(p);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  return places;
}

/** "Kassa Amersfoort, Amersfoort"; HQ's own events say "HQ"; an unknown id says "store 1009". */
export function placeName(places: Places, id: string): string {
  if (id === 'HQ') return 'HQ';
  const p = places.get(id);
  return p ? `${p.name}, ${p.town}` : `store ${id}`;
}

/** The town alone, for short statuses ("Picked up at Amersfoort 14:02"). */
export function placeTown(places: Places, id: string): string {
  if (id === 'HQ') return 'HQ';
  return places.get(id)?.town ?? `store ${id}`;
}

export function addressText(a: Address): string {
  return `${a.street}, ${a.postcode} ${a.town}${a.country && a.country !== 'NL' ? `, ${a.country}` : ''}`;
}

export function modeName(settings: Pick<OrderSettings, 'deliveryModes'> | null, id: string): string {
  return settings?.deliveryModes.find((m: DeliveryMode) => m.id === id)?.name ?? id;
}

/** What happens to a line: taken now / pick up at … / ship to … via … from …. */
export function fulfilmentText(f: Fulfilment, places: Places, settings: Pick<OrderSettings, 'deliveryModes'> | null): string {
  switch (f.mode) {
    case 'carry':
      return t.takenNow;
    case 'pickup':
      return t.pickUpAtPlace(placeName(places, f.storeId));
    case 'ship':
      return t.shipTo(addressText(f.address), modeName(settings, f.deliveryMode), placeName(places, f.fromLocationId));
  }
}

/** A time of today as "14:02", an older one with its date. */
export function when(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? clock(iso) : dateTime(iso);
}

/** 2000 basis points → "20 %" in Dutch, "20%" in English; 1250 → "12,5 %" / "12.5%". */
export function percent(bp: number): string {
  return `${(bp / 100).toLocaleString(locale, { maximumFractionDigits: 2 })}${locale.startsWith('nl') ? ' %' : '%'}`;
}
