import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, rawCall, setCsrfToken } from '../api/client';
import type { BrandRole } from './permissions';
import { SESSION_KEY, useForget, useSession } from './session';

export interface BrandRef {
  id: string;
  name: string;
  role: BrandRole;
}
/** The brand session, or null when signed out or signed in as a member (the console needs a brand user). */
export function useBrandSession() {
  const q = useSession();
  const data = q.data;
  const brand = data && data.session.kind === 'brand' && data.brand ? data : null;
  return { ...q, data: q.data === undefined ? undefined : brand };
}

/** The signed-in person's role in the current brand. */
export function useRole(): BrandRole | undefined {
  return useBrandSession().data?.brand?.role;
}

export function useBrandSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { email: string; password: string }) => {
      const r = await call(api.POST('/v1/sessions', { body: { kind: 'brand', ...v } }));
      setCsrfToken(r.csrfToken);
      return r;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}

export function useBrandSignUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { brandName: string; email: string; password: string; name?: string }) => {
      const r = await rawCall<{ user: unknown; brand: BrandRef; csrfToken?: string }>('POST', '/v1/users', v);
      if (r.csrfToken) setCsrfToken(r.csrfToken);
      return r;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}

/** Agencies: the session's current brand changes, and nothing cached for the previous brand may show. */
export function useSwitchBrand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (brandId: string) => rawCall('POST', '/v1/session/brand', { brandId }),
    onSuccess: async () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
}

export function useBrandSignOut() {
  const forget = useForget();
  return useMutation({
    mutationFn: () => call(api.DELETE('/v1/session')),
    onSuccess: () => forget('/console/login'),
  });
}
