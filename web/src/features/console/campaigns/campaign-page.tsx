import { StatusBadge } from '../../../shared/ui/status-badge';
import { Alert, Anchor, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useOutletContext, useParams, useSearchParams } from 'react-router';
import { api, call } from '../../../api/client';
import { useRole } from '../../../shared/brand-session';
import { ckeys, STATUS_COLOR, STATUS_LABEL, useCampaign, type Campaign } from '../../../shared/console-queries';
import { date, money, topicLabel } from '../../../shared/format';
import { can, type BrandRole } from '../../../shared/permissions';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

type Transition = 'pause' | 'resume' | 'close' | 'cancel';
const TRANSITIONS: Record<Transition, { label: string; confirm: string; explain: string; color?: string }> = {
  pause: {
    label: 'Pause',
    confirm: 'Yes, pause it',
    explain: 'No new offers go out while paused. Members who already claimed keep their perk and links.',
  },
  resume: { label: 'Resume', confirm: 'Yes, resume it', explain: 'Matching starts again and offers go out.' },
  close: {
    label: 'Close',
    confirm: 'Yes, close it for good',
    explain:
      'Closing ends the campaign for good: pending offers are withdrawn and the unused budget is refunded to you through Stripe.',
    color: 'red',
  },
  cancel: {
    label: 'Cancel',
    confirm: 'Yes, cancel the campaign',
    explain: 'The campaign will never run. Nothing has been charged for it.',
    color: 'red',
  },
};
const BY_STATE: Record<Campaign['status'], Transition[]> = {
  draft: ['cancel'],
  pending_funding: ['cancel'],
  active: ['pause', 'close'],
  paused: ['resume', 'close'],
  completed: [],
  cancelled: [],
};

export interface CampaignOutlet {
  campaign: Campaign;
  role: BrandRole | undefined;
}
export const useCampaignOutlet = () => useOutletContext<CampaignOutlet>();

function FundingReturn({ campaign }: { campaign: Campaign }) {
  const [params] = useSearchParams();
  const funding = params.get('funding');
  if (funding === 'cancelled')
    return (
      <Alert color="yellow" title="Checkout cancelled">
        Nothing was charged. Choose Fund again when you are ready.
      </Alert>
    );
  if (funding !== 'success') return null;
  const live = campaign.status === 'active' || campaign.fundedCents > 0;
  return (
    <Alert color={live ? 'green' : 'indigo'} title={live ? 'Funded — the campaign is live' : 'Payment sent'}>
      <span role="status">
        {live
          ? 'Stripe confirmed the payment. Matching has started: offers go out to the best-matching members now.'
          : 'Waiting for Stripe to confirm the payment. This page updates by itself in a few seconds.'}
      </span>
    </Alert>
  );
}

function Actions({ campaign, role }: CampaignOutlet) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<Transition | null>(null);
  const transition = useMutation({
    mutationFn: (t: Transition) => call(api.POST(`/v1/campaigns/{id}/${t}`, { params: { path: { id: campaign.id } } })),
    onSuccess: (c) => {
      qc.setQueryData(ckeys.campaign(campaign.id), c);
      void qc.invalidateQueries({ queryKey: ckeys.campaigns });
      setConfirm(null);
    },
  });
  const fund = useMutation({
    mutationFn: () => call(api.POST('/v1/campaigns/{id}/funding', { params: { path: { id: campaign.id } } })),
    onSuccess: (r) => window.location.assign(r.checkoutUrl),
  });
  const canFund = can(role, 'campaigns.fund') && ['draft', 'pending_funding'].includes(campaign.status);
  const transitions = can(role, 'campaigns.write') ? BY_STATE[campaign.status] : [];
  if (!canFund && transitions.length === 0) return null;
  const t = confirm ? TRANSITIONS[confirm] : null;
  return (
    <>
      <Group gap="xs" wrap="wrap">
        {canFund && (
          <Button loading={fund.isPending} onClick={() => fund.mutate()}>
            Fund
          </Button>
        )}
        {transitions.map((x) => (
          <Button key={x} variant="default" onClick={() => setConfirm(x)}>
            {TRANSITIONS[x].label}
          </Button>
        ))}
      </Group>
      {canFund && (
        <Text size="sm" c="gray.8">
          Fund opens Stripe Checkout for {campaign.inventory} ×{' '}
          {money(campaign.perk.unitCostCents, campaign.perk.currency)} plus Sway’s platform fee. The campaign goes live
          when Stripe confirms the payment.
        </Text>
      )}
      <ProblemAlert error={fund.error} title="Checkout could not start" />
      <Modal
        opened={!!confirm}
        onClose={() => {
          setConfirm(null);
          transition.reset();
        }}
        title={t ? `${t.label} “${campaign.name}”?` : ''}
      >
        {t && confirm && (
          <Stack>
            <Text>{t.explain}</Text>
            <ProblemAlert error={transition.error} title="Not changed" />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Keep it as it is
              </Button>
              <Button color={t.color} loading={transition.isPending} onClick={() => transition.mutate(confirm)}>
                {t.confirm}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** One campaign: its state, the actions its state allows, and the tabs below. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const role = useRole();
  const [params] = useSearchParams();
  const [waiting, setWaiting] = useState(params.get('funding') === 'success');
  // Back from Checkout, the webhook may not have arrived yet: poll until the campaign is live.
  const campaign = useCampaign(id, waiting ? 1500 : false);
  useEffect(() => {
    if (campaign.data && campaign.data.status === 'active') setWaiting(false);
  }, [campaign.data]);
  const tabs = [
    { to: 'report', label: 'Report', show: can(role, 'reports.read') },
    { to: 'claims', label: 'Claims', show: can(role, 'claims.read') },
    { to: 'offers', label: 'Offers', show: can(role, 'offers.read') },
  ].filter((x) => x.show);
  return (
    <QueryState query={campaign} label="the campaign">
      {(c) => (
        <Stack>
          <Anchor component={Link} to="/console" size="sm">
            ← All campaigns
          </Anchor>
          <Group justify="space-between" wrap="wrap" align="flex-start">
            <Stack gap={2}>
              <Title order={1} className="sway-break">
                {c.name}
              </Title>
              <Group gap="xs">
                <StatusBadge
                  color={STATUS_COLOR[c.status]}

                  label={`Status: ${STATUS_LABEL[c.status]}`}
                >
                  {STATUS_LABEL[c.status]}
                </StatusBadge>
                <Text size="sm" c="gray.8">
                  created {date(c.createdAt)}
                </Text>
              </Group>
            </Stack>
          </Group>
          <FundingReturn campaign={c} />
          <Actions campaign={c} role={role} />
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Card withBorder padding="sm">
              <Text size="xs" c="gray.8">
                Perk
              </Text>
              <Text fw={600} className="sway-break">
                {c.perk.title}
              </Text>
              <Text size="xs">
                {c.perk.kind} · {money(c.perk.unitCostCents, c.perk.currency)} each
              </Text>
            </Card>
            <Card withBorder padding="sm">
              <Text size="xs" c="gray.8">
                Claimed
              </Text>
              <Text fw={600}>
                {c.claimed} of {c.inventory}
              </Text>
              <Text size="xs">{c.remaining} left</Text>
            </Card>
            <Card withBorder padding="sm">
              <Text size="xs" c="gray.8">
                Funded
              </Text>
              <Text fw={600}>{money(c.fundedCents, c.perk.currency)}</Text>
            </Card>
            <Card withBorder padding="sm">
              <Text size="xs" c="gray.8">
                Targeting
              </Text>
              <Text size="sm" className="sway-break">
                {c.targeting.topics
                  .map((t) => `${topicLabel(t.slug)} ≥ ${t.minScore}`)
                  .join(c.targeting.match === 'all' ? ' and ' : ' or ')}
              </Text>
              <Text size="xs">
                {c.targeting.countries?.length ? c.targeting.countries.join(', ') : 'every country'}
                {c.targeting.minOverallScore ? ` · overall ≥ ${c.targeting.minOverallScore}` : ''}
              </Text>
            </Card>
          </SimpleGrid>
          {tabs.length > 0 && (
            <Group
              component="nav"
              aria-label="Campaign"
              gap={4}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
            >
              {tabs.map((t) => (
                <Button key={t.to} component={NavLink} to={t.to} variant="subtle" size="compact-md" radius={0}>
                  {t.label}
                </Button>
              ))}
            </Group>
          )}
          <Outlet context={{ campaign: c, role } satisfies CampaignOutlet} />
        </Stack>
      )}
    </QueryState>
  );
}

/** The campaign's landing tab: where to look next. */
export function CampaignIndex() {
  const { campaign, role } = useCampaignOutlet();
  if (campaign.status === 'draft' || campaign.status === 'pending_funding')
    return (
      <Alert color="indigo" variant="light" title="Next: fund the campaign">
        {can(role, 'campaigns.fund')
          ? 'Choose Fund to pay through Stripe Checkout. Offers go out as soon as the payment is confirmed.'
          : 'An owner, admin or billing member of this brand funds it; offers go out once it is paid.'}
      </Alert>
    );
  return (
    <Text size="sm">
      Open the{' '}
      <Anchor underline="always" component={Link} to="report">
        report
      </Anchor>{' '}
      for the funnel and ROI, or the{' '}
      <Anchor underline="always" component={Link} to="claims">
        claims
      </Anchor>{' '}
      to ship perks.
    </Text>
  );
}
