import {
  Anchor,
  AppShell,
  Badge,
  Button,
  Card,
  Checkbox,
  Container,
  Group,
  List,
  NativeSelect,
  PasswordInput,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { call, type Schemas } from '../../api/client';
import { date, dateTime, topicLabel } from '../../shared/format';
import { ProblemAlert } from '../../shared/ui/problem-alert';
import { QueryState } from '../../shared/ui/query-state';
import { subjectWords } from '../member/score/contests';
import { FACTOR_LABELS, contributionWords } from '../member/score/score-words';
import { adminApi, setAdminToken } from './admin-client';

type AdminContest = Schemas['AdminContestDto'];
type Status = AdminContest['status'];
const ADMIN_KEY = ['admin'] as const;

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [value, setValue] = useState('');
  const check = useMutation({
    mutationFn: async (t: string) => {
      setAdminToken(t);
      try {
        await call(adminApi.GET('/v1/admin/contests', { params: { query: { limit: 1 } } }));
      } catch (e) {
        setAdminToken(null);
        throw e;
      }
    },
    onSuccess: onSignedIn,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    check.mutate(value.trim());
  };
  return (
    <Container size="xs" py="xl">
      <Title order={1}>Operator console</Title>
      <Text my="sm">
        Sign in with the admin token. It is kept in this tab’s memory only: reloading or closing the tab signs you out.
      </Text>
      <form onSubmit={submit} aria-label="Operator sign-in">
        <Stack gap="sm">
          <PasswordInput label="Admin token" required value={value} onChange={(e) => setValue(e.currentTarget.value)} />
          <ProblemAlert error={check.error} title="Not signed in" />
          <Button type="submit" loading={check.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Container>
  );
}

function ModelFacts({ c }: { c: AdminContest }) {
  const o = c.model.overall;
  return (
    <Stack gap="xs">
      <Title order={4}>The model’s view</Title>
      {o ? (
        <>
          <Text size="sm">
            Score {o.score} (target {o.target}, percentile {o.percentile.toFixed(1)}; {o.score - Math.round(o.base)}{' '}
            points above the base {o.base.toFixed(1)}) · model {o.modelVersion}, computed {dateTime(o.computedAt)}
          </Text>
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Factor</Table.Th>
                  <Table.Th>Component</Table.Th>
                  <Table.Th>Points</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {o.factors.map((f) => (
                  <Table.Tr key={f.name}>
                    <Table.Td>{FACTOR_LABELS[f.name]}</Table.Td>
                    <Table.Td>{f.value}</Table.Td>
                    <Table.Td>{contributionWords(f)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="sm">
            Posts {o.posts} · followers {o.followers} · reactions {o.reactions} · from bot-like actors {o.botReactions}{' '}
            · inside pods or rings {o.podReactions}
          </Text>
        </>
      ) : (
        <Text size="sm">No score yet.</Text>
      )}
      <Text size="sm">
        Topics:{' '}
        {c.model.topics.length
          ? c.model.topics
              .map((t) => `${topicLabel(t.slug)} ${t.score}${t.published ? '' : ' (not shown)'}`)
              .join(' · ')
          : 'none'}
        {c.model.removedTopics.length ? ` · removed: ${c.model.removedTopics.map(topicLabel).join(', ')}` : ''}
      </Text>
      <Text size="sm">
        History: {c.model.history.map((h) => `${date(h.at)} ${h.overall} (${h.reason})`).join(' · ') || 'none'}
      </Text>
    </Stack>
  );
}

function ResolveForm({ c }: { c: AdminContest }) {
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState<'upheld' | 'rejected'>('rejected');
  const [answer, setAnswer] = useState('');
  const [topics, setTopics] = useState<string[]>([]);
  const [accounts, setAccounts] = useState<string[]>([]);
  const resolve = useMutation({
    mutationFn: () =>
      call(
        adminApi.POST('/v1/admin/contests/{id}/resolve', {
          params: { path: { id: c.id } },
          body: {
            outcome,
            answer,
            ...(outcome === 'upheld' && {
              actions: [
                ...topics.map((topic) => ({ kind: 'remove_topic' as const, topic })),
                ...accounts.map((accountRef) => ({ kind: 'exclude_account' as const, accountRef })),
              ],
            }),
          },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ADMIN_KEY }),
  });
  const toggle = (list: string[], set: (v: string[]) => void, v: string) =>
    set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={`Resolve contest ${c.member.pseudonym}`}>
      <Stack gap="xs">
        <Radio.Group
          label="Outcome"
          value={outcome}
          onChange={(v) => setOutcome(v === 'upheld' ? 'upheld' : 'rejected')}
        >
          <Group mt={4}>
            <Radio value="upheld" label="Upheld" />
            <Radio value="rejected" label="Rejected" />
          </Group>
        </Radio.Group>
        {outcome === 'upheld' && (
          <Stack gap={4} role="group" aria-label="Actions">
            <Text size="sm">Every upheld contest rescores the member. Also:</Text>
            {c.model.topics.map((t) => (
              <Checkbox
                key={t.slug}
                label={`Remove topic ${topicLabel(t.slug)}`}
                checked={topics.includes(t.slug)}
                onChange={() => toggle(topics, setTopics, t.slug)}
              />
            ))}
            {c.model.accounts
              .filter((a) => !a.excluded)
              .map((a) => (
                <Checkbox
                  key={a.accountRef}
                  label={`Exclude ${a.network} account ${a.accountRef.slice(0, 8)}`}
                  checked={accounts.includes(a.accountRef)}
                  onChange={() => toggle(accounts, setAccounts, a.accountRef)}
                />
              ))}
          </Stack>
        )}
        <Textarea
          label="Answer"
          description="The member reads this: plain words, why"
          required
          autosize
          minRows={2}
          value={answer}
          onChange={(e) => setAnswer(e.currentTarget.value)}
        />
        <ProblemAlert error={resolve.error} title="Not resolved" />
        <Group>
          <Button type="submit" loading={resolve.isPending}>
            Resolve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ContestItem({ c }: { c: AdminContest }) {
  return (
    <Card withBorder component="li" aria-label={`Contest by ${c.member.pseudonym}: ${subjectWords(c.subject)}`}>
      <Group justify="space-between">
        <Text fw={700}>{subjectWords(c.subject)}</Text>
        <Badge variant="outline" color="dark">
          {c.status}
        </Badge>
      </Group>
      <Text size="sm" c="gray.7">
        {c.member.pseudonym} · {c.member.country ?? 'country unknown'} · member since{' '}
        {c.member.memberSince ? date(c.member.memberSince) : '—'} · {c.member.earlierContests} earlier contest(s) ·
        filed {dateTime(c.createdAt)} at score {c.scoreAtFiling ?? '—'}
      </Text>
      <Text mt="xs">“{c.reason}”</Text>
      {c.links.length > 0 && (
        <List size="sm" style={{ overflowWrap: 'anywhere' }}>
          {c.links.map((l) => (
            <List.Item key={l}>
              <Anchor href={l} target="_blank" rel="noopener noreferrer nofollow">
                {l}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
      {c.subject.kind === 'fraud_signal' && (
        <Text size="sm">Signal {c.subject.signalId} (not checked against the fraud signals yet).</Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm" spacing="lg">
        <ModelFacts c={c} />
        {c.status === 'open' ? (
          <ResolveForm c={c} />
        ) : (
          <Stack gap={4}>
            <Title order={4}>Answer</Title>
            <Text>{c.answer}</Text>
          </Stack>
        )}
      </SimpleGrid>
      <details>
        <summary>Audit trail</summary>
        <List size="sm" style={{ overflowWrap: 'anywhere' }}>
          {c.events.map((e, i) => (
            <List.Item key={i}>
              {dateTime(e.at)} · {e.actor} · {e.action} {Object.keys(e.details).length ? JSON.stringify(e.details) : ''}
            </List.Item>
          ))}
        </List>
      </details>
    </Card>
  );
}

function ContestsQueue() {
  const [status, setStatus] = useState<Status>('open');
  const q = useQuery({
    queryKey: [...ADMIN_KEY, 'contests', status],
    queryFn: () => call(adminApi.GET('/v1/admin/contests', { params: { query: { status, limit: 50 } } })),
  });
  return (
    <section aria-labelledby="queue">
      <Group justify="space-between" align="end">
        <Title order={2} id="queue">
          Contests queue
        </Title>
        <NativeSelect
          label="Status"
          data={[
            { value: 'open', label: 'Open (oldest first)' },
            { value: 'upheld', label: 'Upheld' },
            { value: 'rejected', label: 'Rejected' },
          ]}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as Status)}
        />
      </Group>
      <QueryState query={q} label="contests">
        {(page) =>
          page.data.length === 0 ? (
            <Text mt="sm">No {status} contests.</Text>
          ) : (
            <Stack component="ul" gap="md" p={0} mt="sm" style={{ listStyle: 'none' }} aria-label="Contests">
              {page.data.map((c) => (
                <ContestItem key={c.id} c={c} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </section>
  );
}

function FraudOverview() {
  const q = useQuery({
    queryKey: [...ADMIN_KEY, 'fraud'],
    queryFn: () => call(adminApi.GET('/v1/admin/fraud-overview')),
  });
  return (
    <section aria-labelledby="fraud">
      <Title order={2} id="fraud">
        Fraud overview
      </Title>
      <QueryState query={q} label="the fraud overview">
        {(o) => (
          <Stack gap="xs">
            <Text>
              {o.confirmed} confirmed fraud verdict(s) across {o.brands.length} brand(s). Counts only: nothing about
              individual members is shown here. {o.note}
            </Text>
            {o.brands.length > 0 && (
              <Table.ScrollContainer minWidth={0}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Brand</Table.Th>
                      <Table.Th>Confirmed</Table.Th>
                      <Table.Th>By rule</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {o.brands.map((b) => (
                      <Table.Tr key={b.brandId}>
                        <Table.Td>{b.brand}</Table.Td>
                        <Table.Td>{b.confirmed}</Table.Td>
                        <Table.Td>
                          {Object.entries(b.byType)
                            .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
                            .join(' · ')}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        )}
      </QueryState>
    </section>
  );
}

function Topics() {
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const search = useQuery({
    queryKey: [...ADMIN_KEY, 'topics', q],
    queryFn: () => call(adminApi.GET('/v1/topics', { params: { query: { q, limit: 20 } } })),
    enabled: q.trim().length > 1,
  });
  const create = useMutation({
    mutationFn: () =>
      call(
        adminApi.POST('/v1/topics', {
          body: { slug, name, ...(parent.trim() ? { parents: [parent.trim()] } : {}) },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...ADMIN_KEY, 'topics'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="topics">
      <Title order={2} id="topics">
        Topics
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="xs">
          <TextInput label="Search topics" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
          {search.data && (
            <List size="sm" aria-label="Matching topics">
              {search.data.data.map((t) => (
                <List.Item key={t.slug}>
                  {t.name} ({t.slug}){t.parents.length ? ` ← ${t.parents.join(', ')}` : ''}
                </List.Item>
              ))}
            </List>
          )}
          <ProblemAlert error={search.error} title="Could not search" />
        </Stack>
        <form onSubmit={submit} aria-label="Add a topic">
          <Stack gap="xs">
            <TextInput label="Slug" required value={slug} onChange={(e) => setSlug(e.currentTarget.value)} />
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TextInput label="Parent topic (slug)" value={parent} onChange={(e) => setParent(e.currentTarget.value)} />
            <ProblemAlert error={create.error} title="Topic not added" />
            {create.data && (
              <Text role="status">
                Added {create.data.name} ({create.data.slug}).
              </Text>
            )}
            <Group>
              <Button type="submit" loading={create.isPending}>
                Add topic
              </Button>
            </Group>
          </Stack>
        </form>
      </SimpleGrid>
    </section>
  );
}

/** `/admin` (web.md, Operator): contests queue, fraud overview, topics, and the queue dashboard. */
export function AdminPage() {
  const qc = useQueryClient();
  const [signedIn, setSignedIn] = useState(false);
  const signOut = () => {
    setAdminToken(null);
    qc.removeQueries({ queryKey: ADMIN_KEY });
    setSignedIn(false);
  };
  if (!signedIn)
    return (
      <AppShell padding="md">
        <AppShell.Main>
          <SignIn onSignedIn={() => setSignedIn(true)} />
        </AppShell.Main>
      </AppShell>
    );
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between">
            <Text fw={800} size="xl" c="indigo.9">
              Sway operator
            </Text>
            <Group component="nav" aria-label="Operator" gap="sm">
              <Anchor href="/admin/queues" target="_blank" rel="noopener noreferrer">
                Queue dashboard (Bull Board)
              </Anchor>
              <Button variant="outline" size="compact-md" onClick={signOut}>
                Sign out
              </Button>
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="lg">
          <Stack gap="xl">
            <Title order={1}>Operator console</Title>
            <ContestsQueue />
            <FraudOverview />
            <Topics />
            <section aria-labelledby="queues">
              <Title order={2} id="queues">
                Queues
              </Title>
              <Text>
                Jobs, retries and failures per queue are on the{' '}
                <Anchor href="/admin/queues" target="_blank" rel="noopener noreferrer">
                  queue dashboard
                </Anchor>{' '}
                (your browser asks for the admin token: any user name, the token as password).
              </Text>
            </section>
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
