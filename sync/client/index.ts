import type { StoreDoc } from '../protocol/docs.ts';
import type { EnrolResponse } from '../protocol/wire.ts';
import type { EnrolmentApi } from './api.ts';
import { HqHttp } from './http.ts';

export type * from './api.ts';
export { SEARCH_SCOPES } from './api.ts';
export { openRegister, type OpenOptions } from './register.ts';
export { HqResponseError, HqUnreachableError } from './http.ts';
export { PIN_ATTEMPTS, PIN_LOCKOUT_MS, SignInError } from './shifts.ts';
export { DayNotDoneError } from './end-of-day.ts';
export { RegisterError, type RegisterErrorCode } from './errors.ts';

export const enrolmentApi: EnrolmentApi = {
  async listStores(hqUrl: string): Promise<StoreDoc[]> {
    return new HqHttp(hqUrl, null).get<StoreDoc[]>('/api/stores');
  },
  async enrol(hqUrl, storeId, registerId, enrolmentToken) {
    const res = await new HqHttp(hqUrl, null).post<EnrolResponse>('/api/registers', { storeId, registerId }, enrolmentToken);
    return {
      hqUrl,
      storeId: res.storeId,
      registerId: res.registerId,
      registerToken: res.registerToken,
      lastSequence: res.lastSequence,
      lastHash: res.lastHash,
      // An HQ from before customer orders does not send it: no order events of this register there.
      lastOrderSequence: res.lastOrderSequence ?? 0,
      // An HQ from before returns does not send it: no returns of this register there.
      lastReturnSequence: res.lastReturnSequence ?? 0,
      // An HQ from before shifts does not send it: no shift events of this register there.
      lastShiftSequence: res.lastShiftSequence ?? 0,
      expiresAt: res.expiresAt,
    };
  },
};
