import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ProblemError, api, call, setCsrfToken, type Schemas } from '../api/client';

export type CurrentSession = Schemas['CurrentSessionResponseDto'];
export const SESSION_KEY = ['session'] as const;

/** The browser session, or null when signed out. Keeps the CSRF token for the client's unsafe requests. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<CurrentSession | null> => {
      try {
        const s = await call(api.GET('/v1/session'));
        setCsrfToken(s.csrfToken);
        return s;
      } catch (e) {
        if (e instanceof ProblemError && e.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { email: string; password: string }) => {
      const r = await call(api.POST('/v1/sessions', { body: { kind: 'member', ...v } }));
      setCsrfToken(r.csrfToken);
      return r;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}

/** Forgets the person in this tab: the CSRF token and every cached answer. */
export function useForget() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  // Navigate first: clearing while still on a /me page would make the layout redirect to /login?next=… instead.
  return async (to: string) => {
    await navigate(to, { replace: true });
    setCsrfToken(null);
    qc.clear();
    qc.setQueryData(SESSION_KEY, null);
  };
}

/** Signs out this browser (or every session of the person) and goes to the sign-in page. */
export function useSignOut(everywhere = false) {
  const forget = useForget();
  return useMutation({
    mutationFn: () => call(everywhere ? api.DELETE('/v1/sessions') : api.DELETE('/v1/session')),
    onSuccess: () => forget('/login'),
  });
}
