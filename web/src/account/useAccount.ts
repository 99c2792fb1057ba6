import { useCallback, useEffect, useRef, useState } from 'react';
import { api, newIdempotencyKey } from '../api/client';
import { ApiError, messageOf } from '../api/problems';
import type { Account } from '../api/types';
import type { Session } from '../session/session';

export const topUpAmount = 100;

/** The caller's account (mount one per session); `refresh` coalesces bursts (one request in flight, at most one more after it). */
export function useAccount(session: Session, onUnauthorized: (message: string) => void) {
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toppingUp, setToppingUp] = useState(false);
  const inFlight = useRef(false);
  const again = useRef(false);
  const { userId, token } = session;
  // The latest callback, without making every request function depend on it.
  const unauthorized = useRef(onUnauthorized);
  useEffect(() => {
    unauthorized.current = onUnauthorized;
  }, [onUnauthorized]);

  const refresh = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        try {
          const fresh = await api.getAccount(userId, token);
          setAccount(fresh);
          setError(null);
        } catch (e) {
          if (e instanceof ApiError && (e.status === 401 || e.status === 404)) unauthorized.current(e.message);
          setError(messageOf(e, 'Could not load your balance.'));
        }
      } while (again.current);
    } finally {
      inFlight.current = false;
    }
  }, [userId, token]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  /** Tops up by 100 with a fresh Idempotency-Key per call; resolves to an error message, or null. */
  const topUp = useCallback(async (): Promise<string | null> => {
    setToppingUp(true);
    try {
      setAccount(await api.topUp(userId, token, topUpAmount, newIdempotencyKey()));
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) unauthorized.current(e.message);
      return messageOf(e, 'Could not top up.');
    } finally {
      setToppingUp(false);
    }
  }, [userId, token]);

  return { account, error, toppingUp, refresh, topUp };
}
