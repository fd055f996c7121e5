import { useQuery } from '@tanstack/react-query';
import type { Me } from '../../../schema/api/auth.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { setCsrfToken } from '../api/session.ts';
import { api } from '../api/typedClient.ts';

/** The signed-in person, or null when nobody is; keeps the CSRF token for later requests. */
export async function fetchMe(): Promise<Me | null> {
  const res = await api.auth.me.$get();
  // Read apart from `res`: besides the route's 200 and 401, a proxy or a crash may answer anything.
  const { status } = res;
  if (status === 401) {
    setCsrfToken(null);
    return null;
  }
  if (!res.ok) throw new Error(`the server answered ${status}`);
  const me: Me = await res.json();
  setCsrfToken(me.csrfToken);
  return me;
}

export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
}
