import { useQuery } from '@tanstack/react-query';
import type { Me } from '../../../schema/api/auth.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { setCsrfToken } from '../api/session.ts';

/** The signed-in person, or null when nobody is; keeps the CSRF token for later requests. */
export async function fetchMe(): Promise<Me | null> {
  const res = await fetch('/api/auth/me', { credentials: 'same-origin' });
  if (res.status === 401) {
    setCsrfToken(null);
    return null;
  }
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const me = (await res.json()) as Me;
  setCsrfToken(me.csrfToken);
  return me;
}

export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
}
