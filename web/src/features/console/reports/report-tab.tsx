import { ScrollTable } from '../../../shared/ui/scroll-table';
import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { api, call, ProblemError, type Schemas } from '../../../api/client';
import { ckeys } from '../../../shared/console-queries';
import { money, percent, topicLabel } from '../../../shared/format';
import { can } from '../../../shared/permissions';
import { QueryState } from '../../../shared/ui/query-state';
import { useCampaignOutlet } from '../campaigns/campaign-page';

const DailyChart = lazy(() => import('./daily-chart'));

type Report = Schemas['CampaignReportDto'];
const rate = (a: number, b: number): string => (b > 0 ? percent(a / b) : '—');
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="gray.8">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="gray.8">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function Funnel({ r }: { r: Report }) {
  const f = r.funnel;
  const steps: { label: string; n: number; prev?: number; note?: string }[] = [
    { label: 'Eligible now', n: f.eligible },
    { label: 'Offered', n: f.offered, prev: f.eligible },
    { label: 'Claimed', n: f.claimed, prev: f.offered },
    { label: 'Shared', n: f.shares, prev: f.claimed, note: `${f.disclosedShares} with a clear disclosure` },
    { label: 'Clicks', n: f.clicks, prev: f.shares, note: `${f.uniqueClicks} unique visitors` },
    { label: 'Sales', n: f.conversions, prev: f.uniqueClicks, note: 'step rate from unique visitors' },
  ];
  return (
    <ScrollTable label="Funnel figures" minWidth={420}>
      <Table aria-label="Funnel">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Step</Table.Th>
            <Table.Th>Count</Table.Th>
            <Table.Th>From the step before</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps.map((s) => (
            <Table.Tr key={s.label}>
              <Table.Td>
                {s.label}
                {s.note && (
                  <Text size="xs" c="gray.8">
                    {s.note}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{s.n.toLocaleString('en-US')}</Table.Td>
              <Table.Td>{s.prev === undefined ? '' : rate(s.n, s.prev)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function Daily({ campaignId, createdAt }: { campaignId: string; createdAt: string }) {
  const [from, setFrom] = useState(isoDay(new Date(createdAt)));
  const [to, setTo] = useState(isoDay(new Date()));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const daily = useQuery({
    queryKey: ckeys.daily(campaignId, from, to),
    queryFn: () =>
      call(api.GET('/v1/campaigns/{id}/report/daily', { params: { path: { id: campaignId }, query: { from, to } } })),
    enabled: valid,
    placeholderData: (p) => p,
  });
  return (
    <Card withBorder component="section" aria-labelledby="daily-h">
      <Title order={3} id="daily-h">
        Day by day
      </Title>
      <Group gap="sm" my="xs" wrap="wrap">
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      {!valid ? (
        <Text size="sm" role="alert">
          Choose a first day on or before the last day.
        </Text>
      ) : (
        <QueryState query={daily} label="the daily figures">
          {(d) =>
            d.data.length === 0 ? (
              <Text size="sm">No activity in these days yet.</Text>
            ) : (
              <>
                <Suspense fallback={<Text size="sm">Drawing the chart…</Text>}>
                  <DailyChart days={d.data} label={`Clicks, claims and sales per day from ${from} to ${to}`} />
                </Suspense>
                <details>
                  <summary>The same figures as a table</summary>
                  <ScrollTable label="Daily figures" minWidth={420}>
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Day</Table.Th>
                          <Table.Th>Claims</Table.Th>
                          <Table.Th>Shares</Table.Th>
                          <Table.Th>Clicks</Table.Th>
                          <Table.Th>Sales</Table.Th>
                          <Table.Th>Revenue</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {d.data.map((p) => (
                          <Table.Tr key={p.date}>
                            <Table.Td>{p.date}</Table.Td>
                            <Table.Td>{p.claims}</Table.Td>
                            <Table.Td>{p.shares}</Table.Td>
                            <Table.Td>{p.clicks}</Table.Td>
                            <Table.Td>{p.conversions}</Table.Td>
                            <Table.Td>{p.revenueCents / 100}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollTable>
                </details>
              </>
            )
          }
        </QueryState>
      )}
    </Card>
  );
}

export function ReportTab() {
  const { campaign, role } = useCampaignOutlet();
  const report = useQuery({
    queryKey: ckeys.report(campaign.id),
    queryFn: () => call(api.GET('/v1/campaigns/{id}/report', { params: { path: { id: campaign.id } } })),
  });
  // The ledger is for roles that handle money; others see the budget from the campaign and the report.
  const ledger = useQuery({
    queryKey: ckeys.ledger(campaign.id),
    queryFn: () => call(api.GET('/v1/campaigns/{id}/ledger', { params: { path: { id: campaign.id } } })),
    enabled: can(role, 'ledger.read'),
    retry: (n, e) => n < 1 && !(e instanceof ProblemError),
  });
  return (
    <Stack component="section" aria-labelledby="report-h">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} id="report-h">
          Report
        </Title>
        <Anchor href={`/v1/campaigns/${campaign.id}/report.csv`} download>
          Download CSV
        </Anchor>
      </Group>
      <QueryState query={report} label="the report">
        {(r) => {
          const cur = r.currency;
          const revenue = r.funnel.revenueCents;
          const total = r.cost.totalCents;
          const funded = ledger.data?.fundedCents ?? campaign.fundedCents;
          const spent = ledger.data ? ledger.data.spentCents + ledger.data.platformFeeCents : total;
          const remaining = ledger.data?.remainingCents ?? Math.max(0, funded - total);
          return (
            <Stack>
              {r.funnel.offered === 0 && (
                <Alert color="indigo" variant="light" title="Nothing to report yet">
                  {campaign.status === 'active'
                    ? 'Offers are going out. Claims, shares and clicks show up here as they happen.'
                    : 'Fund the campaign: the funnel fills once offers go out.'}
                </Alert>
              )}
              <SimpleGrid cols={{ base: 2, sm: 4 }}>
                <Figure
                  label="Cost"
                  value={money(total, cur)}
                  hint={`perks ${money(r.cost.perkCostCents, cur)} + fee ${money(r.cost.platformFeeCents, cur)}`}
                />
                <Figure
                  label="Revenue (net of refunds)"
                  value={money(revenue, cur)}
                  hint={r.quality.refundedCents ? `${money(r.quality.refundedCents, cur)} refunded` : undefined}
                />
                <Figure
                  label="ROI"
                  value={r.roi === null || r.roi === undefined ? '—' : percent(r.roi)}
                  hint="(revenue − cost) ÷ cost"
                />
                <Figure
                  label="ROAS"
                  value={total > 0 ? `${(revenue / total).toFixed(2)}×` : '—'}
                  hint="revenue ÷ cost"
                />
                <Figure
                  label="Cost per acquisition"
                  value={r.funnel.conversions > 0 ? money(Math.round(total / r.funnel.conversions), cur) : '—'}
                  hint="cost ÷ sales"
                />
                <Figure
                  label="Conversion rate"
                  value={rate(r.funnel.conversions, r.funnel.uniqueClicks)}
                  hint="sales ÷ unique visitors"
                />
                <Figure label="Funded" value={money(funded, cur)} />
                <Figure
                  label="Spent / remaining"
                  value={`${money(spent, cur)} / ${money(remaining, cur)}`}
                  hint="perks claimed and fee / budget left"
                />
              </SimpleGrid>
              {r.otherCurrencies.length > 0 && (
                <Text size="sm">
                  Sales in other currencies (not in ROI):{' '}
                  {r.otherCurrencies.map((o) => money(o.revenueCents, o.currency)).join(', ')}
                </Text>
              )}
              <Card withBorder component="section" aria-labelledby="funnel-h">
                <Title order={3} id="funnel-h">
                  Funnel
                </Title>
                <Funnel r={r} />
              </Card>
              <Daily campaignId={campaign.id} createdAt={campaign.createdAt} />
              <Card withBorder component="section" aria-labelledby="claims-table-h">
                <Title order={3} id="claims-table-h">
                  Per claim and post
                </Title>
                <Text size="sm" c="gray.8" my="xs">
                  Members appear under a pseudonym (inf_…) unless they chose to share their stats with brands: Sway
                  tells you what a post did, not who a person is.
                </Text>
                {r.byInfluencer.length === 0 ? (
                  <Text size="sm">No claims yet.</Text>
                ) : (
                  <ScrollTable label="Claim and post figures" minWidth={620}>
                    <Table striped aria-label="Per claim and post">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Member</Table.Th>
                          <Table.Th>Topic</Table.Th>
                          <Table.Th>Shares</Table.Th>
                          <Table.Th>Reach</Table.Th>
                          <Table.Th>Clicks</Table.Th>
                          <Table.Th>Sales</Table.Th>
                          <Table.Th>Revenue</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {r.byInfluencer.map((b) => (
                          <Table.Tr key={b.claimId}>
                            <Table.Td className="sway-break">
                              {b.influencer.displayName
                                ? `${b.influencer.displayName} (${b.influencer.ref})`
                                : b.influencer.ref}
                            </Table.Td>
                            <Table.Td>{b.topic ? topicLabel(b.topic) : '—'}</Table.Td>
                            <Table.Td>
                              {b.shares} ({b.disclosedShares} disclosed)
                            </Table.Td>
                            <Table.Td>{b.reach}</Table.Td>
                            <Table.Td>{b.clicks}</Table.Td>
                            <Table.Td>{b.conversions}</Table.Td>
                            <Table.Td>{money(b.revenueCents, cur)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollTable>
                )}
                {r.byInfluencerTotal > r.byInfluencer.length && (
                  <Text size="sm" mt="xs">
                    Showing the best {r.byInfluencer.length} of {r.byInfluencerTotal}; the CSV has every claim.
                  </Text>
                )}
              </Card>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}
