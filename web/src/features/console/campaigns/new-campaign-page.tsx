import {
  Alert,
  Button,
  Card,
  CloseButton,
  Group,
  Loader,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Radio,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, call, ProblemError, type Schemas } from '../../../api/client';
import { useRole } from '../../../shared/brand-session';
import { ckeys } from '../../../shared/console-queries';
import { COUNTRIES } from '../../../shared/countries';
import { can } from '../../../shared/permissions';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { audienceBound, audienceLabel } from './audience-label';

type Body = Schemas['CreateCampaignRequestDto'];
interface TopicPick {
  slug: string;
  name: string;
  minScore: number;
}

function TopicSearch({ picked, onPick }: { picked: TopicPick[]; onPick: (t: TopicPick) => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const results = useQuery({
    queryKey: ['topics', debounced],
    queryFn: () => call(api.GET('/v1/topics', { params: { query: { q: debounced, limit: 8 } } })),
    enabled: debounced.length >= 2,
    staleTime: 300_000,
  });
  const shown = (results.data?.data ?? []).filter((t) => !picked.some((p) => p.slug === t.slug));
  return (
    <Stack gap={4}>
      <TextInput
        type="search"
        label="Topics"
        description="Search the topic ontology (8,000 topics). A broad topic also reaches members active in its narrower ones."
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        rightSection={results.isFetching ? <Loader size="xs" aria-label="Searching topics" /> : null}
      />
      {debounced.length >= 2 && results.isSuccess && (
        <Group gap={6} aria-label="Matching topics" role="group">
          {shown.length === 0 && (
            <Text size="sm" c="gray.8">
              No topic matches “{debounced}”. Try a broader word.
            </Text>
          )}
          {shown.map((t) => (
            <Button
              key={t.slug}
              size="compact-sm"
              variant="light"
              aria-label={`Add topic ${t.name}`}
              onClick={() => {
                onPick({ slug: t.slug, name: t.name, minScore: 30 });
                setQ('');
              }}
            >
              + {t.name}
            </Button>
          ))}
        </Group>
      )}
      <ProblemAlert error={results.error} title="Topic search failed" />
    </Stack>
  );
}

const httpsUrl = (s: string): boolean => {
  try {
    return ['https:', 'http:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
};

/**
 * The create form. The live estimate uses the campaign's own audience endpoint, so the form keeps a draft
 * campaign in step with what is typed (created once the essentials are valid, then patched, debounced);
 * "Create campaign" saves the last values and opens the campaign.
 */
export function NewCampaignPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const role = useRole();
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<'product' | 'discount' | 'experience'>('product');
  const [currency, setCurrency] = useState('usd');
  const [unitCost, setUnitCost] = useState<number | string>('');
  const [inventory, setInventory] = useState<number | string>('');
  const [landingUrl, setLandingUrl] = useState('');
  const [topics, setTopics] = useState<TopicPick[]>([]);
  const [match, setMatch] = useState<'any' | 'all'>('any');
  const [minOverall, setMinOverall] = useState<number | string>('');
  const [countries, setCountries] = useState<string[]>([]);

  const body = useMemo<Body | null>(() => {
    const cost = typeof unitCost === 'number' ? Math.round(unitCost * 100) : NaN;
    const inv = typeof inventory === 'number' ? inventory : NaN;
    if (!name.trim() || !title.trim() || !description.trim() || !httpsUrl(landingUrl)) return null;
    if (!Number.isInteger(inv) || inv < 1 || !Number.isFinite(cost) || cost < 0 || topics.length === 0) return null;
    return {
      name: name.trim(),
      perk: { title: title.trim(), description: description.trim(), kind, unitCostCents: cost, currency },
      inventory: inv,
      landingUrl,
      offerTtlHours: 72,
      attributionWindowDays: 30,
      targeting: {
        topics: topics.map((t) => ({ slug: t.slug, minScore: t.minScore })),
        match,
        ...(typeof minOverall === 'number' ? { minOverallScore: minOverall } : {}),
        ...(countries.length ? { countries } : {}),
      },
    };
  }, [name, title, description, kind, currency, unitCost, inventory, landingUrl, topics, match, minOverall, countries]);
  const [debouncedBody] = useDebouncedValue(body, 400);

  // Saves run one after another, so a slow POST can never be followed by a second one.
  const draftId = useRef<string | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const [saved, setSaved] = useState<{ id: string; version: number } | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const save = (b: Body): Promise<string> => {
    const run = chain.current.then(async () => {
      if (draftId.current) {
        const id = draftId.current;
        await call(
          api.PATCH('/v1/campaigns/{id}', {
            params: { path: { id } },
            body: {
              ...b,
              targeting: {
                ...b.targeting,
                minOverallScore: b.targeting.minOverallScore ?? null,
                countries: b.targeting.countries ?? null,
              },
            },
          }),
        );
        return id;
      }
      const c = await call(api.POST('/v1/campaigns', { body: b }));
      draftId.current = c.id;
      return c.id;
    });
    chain.current = run.catch(() => undefined);
    return run;
  };

  useEffect(() => {
    if (!debouncedBody || !can(role, 'campaigns.write')) return;
    let cancelled = false;
    save(debouncedBody).then(
      (id) => {
        if (cancelled) return;
        setSaveError(null);
        setSaved((s) => ({ id, version: (s?.version ?? 0) + 1 }));
      },
      (e) => !cancelled && setSaveError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [debouncedBody]);

  const estimate = useQuery({
    queryKey: [...ckeys.audience(saved?.id ?? 'none'), saved?.version],
    queryFn: () => call(api.GET('/v1/campaigns/{id}/audience', { params: { path: { id: saved!.id } } })),
    enabled: !!saved,
    placeholderData: (prev) => prev,
  });
  const stale = body !== debouncedBody || estimate.isFetching;

  const [submitError, setSubmitError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body) {
      setSubmitError(new ProblemError(422, 'Fill in every field marked required and choose at least one topic.', []));
      return;
    }
    setSubmitting(true);
    try {
      const id = await save(body);
      await qc.invalidateQueries({ queryKey: ckeys.campaigns });
      await navigate(`/console/campaigns/${id}`);
    } catch (err) {
      setSubmitError(err);
    } finally {
      setSubmitting(false);
    }
  };

  if (!can(role, 'campaigns.write'))
    return (
      <Alert color="yellow" title="Your role cannot create campaigns">
        Ask an owner or admin of this brand.
      </Alert>
    );

  return (
    <Stack>
      <Title order={1}>New campaign</Title>
      <form onSubmit={(e) => void submit(e)} aria-label="New campaign" noValidate>
        <Stack gap="md">
          <Card withBorder component="section" aria-labelledby="perk-h">
            <Title order={2} size="h3" id="perk-h" mb="xs">
              The perk
            </Title>
            <Stack gap="sm">
              <TextInput
                label="Name"
                description="For you and your team; members see the perk title."
                required
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              <TextInput label="Perk title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
              <Textarea
                label="Perk description"
                required
                autosize
                minRows={2}
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
              />
              <NativeSelect
                label="Perk kind"
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as typeof kind)}
                data={[
                  { value: 'product', label: 'Product (shipped; members give an address)' },
                  { value: 'discount', label: 'Discount (a code)' },
                  { value: 'experience', label: 'Experience (an event, a visit)' },
                ]}
              />
              <Group grow align="flex-start" wrap="wrap">
                <NumberInput
                  label="Unit cost"
                  description="What one perk costs you; Sway adds its platform fee."
                  required
                  min={0}
                  decimalScale={2}
                  value={unitCost}
                  onChange={setUnitCost}
                  miw={160}
                />
                <NativeSelect
                  label="Currency"
                  value={currency}
                  onChange={(e) => setCurrency(e.currentTarget.value)}
                  data={[
                    { value: 'usd', label: 'USD' },
                    { value: 'eur', label: 'EUR' },
                    { value: 'gbp', label: 'GBP' },
                  ]}
                  miw={120}
                />
                <NumberInput
                  label="Inventory"
                  description="How many perks you give away."
                  required
                  min={1}
                  allowDecimal={false}
                  value={inventory}
                  onChange={setInventory}
                  miw={160}
                />
              </Group>
              <TextInput
                label="Landing URL"
                description="Where members’ tracking links send their audience."
                type="url"
                required
                placeholder="https://"
                value={landingUrl}
                onChange={(e) => setLandingUrl(e.currentTarget.value)}
              />
            </Stack>
          </Card>

          <Card withBorder component="section" aria-labelledby="targeting-h">
            <Title order={2} size="h3" id="targeting-h" mb="xs">
              Who it is for
            </Title>
            <Stack gap="sm">
              <TopicSearch picked={topics} onPick={(t) => setTopics((ts) => [...ts, t])} />
              {topics.length === 0 ? (
                <Text size="sm" c="gray.8">
                  No topic chosen yet: search above and add at least one.
                </Text>
              ) : (
                <Stack gap={6} aria-label="Chosen topics" role="list">
                  {topics.map((t) => (
                    <Group key={t.slug} role="listitem" gap="xs" wrap="nowrap" align="flex-end">
                      <NumberInput
                        label={`${t.name} threshold`}
                        description="Minimum topic score (1–100)"
                        min={1}
                        max={100}
                        allowDecimal={false}
                        value={t.minScore}
                        onChange={(v) =>
                          setTopics((ts) =>
                            ts.map((x) => (x.slug === t.slug ? { ...x, minScore: typeof v === 'number' ? v : 1 } : x)),
                          )
                        }
                        style={{ flex: 1 }}
                      />
                      <CloseButton
                        aria-label={`Remove topic ${t.name}`}
                        onClick={() => setTopics((ts) => ts.filter((x) => x.slug !== t.slug))}
                        mb={6}
                      />
                    </Group>
                  ))}
                </Stack>
              )}
              {topics.length > 1 && (
                <Radio.Group label="Members must reach" value={match} onChange={(v) => setMatch(v)}>
                  <Group mt={4}>
                    <Radio value="any" label="any of these thresholds" />
                    <Radio value="all" label="all of these thresholds" />
                  </Group>
                </Radio.Group>
              )}
              <NumberInput
                label="Minimum score"
                description="Overall influence score (1–100); leave empty for none."
                min={1}
                max={100}
                allowDecimal={false}
                value={minOverall}
                onChange={setMinOverall}
              />
              <MultiSelect
                label="Countries"
                description="Leave empty to reach members in every country."
                placeholder="Every country"
                searchable
                data={COUNTRIES}
                value={countries}
                onChange={setCountries}
              />
            </Stack>
          </Card>

          <Card withBorder role="status" aria-live="polite" aria-label="Audience estimate">
            <Group gap="xs">
              {!body ? (
                <Text size="sm">
                  Fill in the perk, the landing URL and at least one topic to see how many members are eligible.
                </Text>
              ) : estimate.data ? (
                <Text fw={600}>
                  {audienceLabel(estimate.data)} members eligible now
                  {stale ? ' (updating…)' : ''}
                </Text>
              ) : (
                <Text size="sm">Counting eligible members…</Text>
              )}
              {stale && body && <Loader size="xs" aria-label="Updating the estimate" />}
            </Group>
            <Text size="xs" c="gray.8" mt={4}>
              Opted-in adults who match the targeting today
              {estimate.data && audienceBound(estimate.data)
                ? ` (estimated from a sample of members, ${audienceBound(estimate.data)})`
                : ''}
              . Saved as a draft while you edit; nothing is offered until the campaign is funded.
            </Text>
          </Card>
          <ProblemAlert error={saveError} title="Draft not saved" />
          <ProblemAlert error={submitError} title="Campaign not created" />
          <Group>
            <Button type="submit" loading={submitting}>
              Create campaign
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
