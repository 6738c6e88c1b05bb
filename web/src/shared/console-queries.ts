import { useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';

export type Campaign = Schemas['CampaignResponseDto'];
export type CampaignStatus = Campaign['status'];

/** Server state of the console; every key starts with the resource so a brand switch can drop them all. */
export const ckeys = {
  campaigns: ['campaigns'] as const,
  campaign: (id: string) => ['campaigns', id] as const,
  audience: (id: string) => ['campaigns', id, 'audience'] as const,
  ledger: (id: string) => ['campaigns', id, 'ledger'] as const,
  claims: (id: string) => ['campaigns', id, 'claims'] as const,
  offers: (id: string) => ['campaigns', id, 'offers'] as const,
  report: (id: string) => ['campaigns', id, 'report'] as const,
  daily: (id: string, from: string, to: string) => ['campaigns', id, 'daily', from, to] as const,
  members: ['members'] as const,
  keys: ['api-keys'] as const,
  endpoints: ['webhook-endpoints'] as const,
  deliveries: (id: string) => ['webhook-endpoints', id, 'deliveries'] as const,
  audit: ['audit-log'] as const,
};

export const useCampaign = (id: string, refetchInterval?: number | false) =>
  useQuery({
    queryKey: ckeys.campaign(id),
    queryFn: () => call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })),
    refetchInterval,
  });

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  pending_funding: 'Awaiting funding',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
export const STATUS_COLOR: Record<CampaignStatus, string> = {
  draft: 'gray.8',
  pending_funding: 'yellow.9',
  active: 'green.9',
  paused: 'orange.9',
  completed: 'blue.9',
  cancelled: 'red.9',
};
