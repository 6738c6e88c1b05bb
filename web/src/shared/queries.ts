import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';

/** Server state the member pages share; each key is one API resource, cached by TanStack Query only. */
export const keys = {
  me: ['me'] as const,
  scores: ['scores'] as const,
  offers: ['offers', 'pending'] as const,
  claims: ['claims'] as const,
  consents: ['consents'] as const,
  accounts: ['social-accounts'] as const,
  sessions: ['sessions'] as const,
  notifications: ['notifications'] as const,
  notificationPreferences: ['notification-preferences'] as const,
};

export const useMe = () => useQuery({ queryKey: keys.me, queryFn: () => call(api.GET('/v1/me')) });
export const useScores = () => useQuery({ queryKey: keys.scores, queryFn: () => call(api.GET('/v1/me/scores')) });
export const usePendingOffers = () =>
  useQuery({
    queryKey: keys.offers,
    queryFn: () => call(api.GET('/v1/me/offers', { params: { query: { status: 'pending', limit: 200 } } })),
  });
export const useClaims = () =>
  useQuery({
    queryKey: keys.claims,
    queryFn: () => call(api.GET('/v1/me/claims', { params: { query: { limit: 200 } } })),
  });
export const useNotifications = () =>
  useQuery({
    queryKey: keys.notifications,
    queryFn: () => call(api.GET('/v1/me/notifications', { params: { query: { limit: 100 } } })),
  });
