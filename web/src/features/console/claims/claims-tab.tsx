import { StatusBadge } from '../../../shared/ui/status-badge';
import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { ckeys } from '../../../shared/console-queries';
import { dateTime } from '../../../shared/format';
import { can } from '../../../shared/permissions';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';
import { useCampaignOutlet } from '../campaigns/campaign-page';

type Claim = Schemas['BrandClaimDto'];

export const who = (c: { influencer: Schemas['InfluencerRefDto'] }): string =>
  c.influencer.displayName ? `${c.influencer.displayName} (${c.influencer.ref})` : c.influencer.ref;

function FulfilForm({ campaignId, claim, onDone }: { campaignId: string; claim: Claim; onDone: () => void }) {
  const qc = useQueryClient();
  const [tracking, setTracking] = useState('');
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/v1/campaigns/{id}/claims/{claimId}', {
          params: { path: { id: campaignId, claimId: claim.id } },
          body: { status: 'fulfilled', ...(tracking.trim() ? { trackingNumber: tracking.trim() } : {}) },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ckeys.claims(campaignId) });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={`Fulfil claim of ${who(claim)}`}>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label="Tracking number"
          description="Optional; the member sees it with their perk."
          value={tracking}
          onChange={(e) => setTracking(e.currentTarget.value)}
          data-autofocus
          autoFocus
        />
        <Button type="submit" loading={save.isPending}>
          Save
        </Button>
        <Button variant="default" onClick={onDone}>
          Not now
        </Button>
      </Group>
      <ProblemAlert error={save.error} title="Not marked fulfilled" />
    </form>
  );
}

function ClaimCard({ claim, campaignId, mayFulfil }: { claim: Claim; campaignId: string; mayFulfil: boolean }) {
  const [open, setOpen] = useState(false);
  const address = claim.shippingAddress;
  const awaiting = claim.status === 'claimed';
  return (
    <Card withBorder padding="sm" component="li">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={0}>
          <Text fw={600} className="sway-break">
            {who(claim)}
          </Text>
          <Text size="xs" c="gray.8">
            claimed {dateTime(claim.createdAt)} · code {claim.code}
          </Text>
        </Stack>
        <StatusBadge color={awaiting ? 'orange.9' : 'green.9'}>
          {awaiting ? 'Awaiting shipping' : 'Fulfilled'}
        </StatusBadge>
      </Group>
      {mayFulfil && awaiting && address && (
        <Text
          size="sm"
          mt="xs"
          component="address"
          style={{ fontStyle: 'normal' }}
          aria-label={`Shipping address of ${who(claim)}`}
        >
          {[
            address.name,
            address.line1,
            address.line2,
            `${address.postalCode} ${address.city}`,
            address.region,
            address.country,
          ]
            .filter(Boolean)
            .join(', ')}
        </Text>
      )}
      {!awaiting && (
        <Text size="sm" mt="xs">
          Fulfilled {claim.fulfilledAt ? dateTime(claim.fulfilledAt) : ''}
          {claim.trackingNumber ? ` · tracking ${claim.trackingNumber}` : ''}
        </Text>
      )}
      {mayFulfil && awaiting && (
        <div style={{ marginTop: 8 }}>
          {open ? (
            <FulfilForm campaignId={campaignId} claim={claim} onDone={() => setOpen(false)} />
          ) : (
            <Button size="xs" onClick={() => setOpen(true)} aria-label={`Mark fulfilled: ${who(claim)}`}>
              Mark fulfilled
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}

export function ClaimsTab() {
  const { campaign, role } = useCampaignOutlet();
  const claims = useQuery({
    queryKey: ckeys.claims(campaign.id),
    queryFn: () =>
      call(api.GET('/v1/campaigns/{id}/claims', { params: { path: { id: campaign.id }, query: { limit: 200 } } })),
  });
  const mayFulfil = can(role, 'claims.fulfil');
  return (
    <Stack component="section" aria-labelledby="claims-h">
      <Title order={2} id="claims-h">
        Claims
      </Title>
      <QueryState query={claims} label="claims">
        {(page) =>
          page.data.length === 0 ? (
            <Alert color="indigo" variant="light" title="No claims yet">
              {campaign.status === 'active'
                ? 'Offers are out; claims appear here as members accept them. Ship the perk, then mark the claim fulfilled.'
                : 'Claims appear once the campaign is funded and members accept its offers.'}
            </Alert>
          ) : (
            <>
              {!mayFulfil && (
                <Text size="sm" c="gray.8">
                  Your role reads claims; shipping addresses and fulfilment are for owners and admins.
                </Text>
              )}
              <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Claims">
                {page.data.map((c) => (
                  <ClaimCard key={c.id} claim={c} campaignId={campaign.id} mayFulfil={mayFulfil} />
                ))}
              </Stack>
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
