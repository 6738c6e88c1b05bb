import { Badge, Button, Card, Group, List, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { date, topicLabel } from '../../../shared/format';
import { keys, useScores } from '../../../shared/queries';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';
import { ScoreEmptyState } from '../../../shared/ui/score-empty-state';
import { Contests } from './contests';
import { FACTOR_LABELS, REASON_WORDS, contributionWords, modelChanges } from './score-words';

const HistoryChart = lazy(() => import('./history-chart'));
type Scores = Schemas['MyScoresResponseDto'];
type Factor = Schemas['FactorDto'];

function FactorBars({ factors, max }: { factors: Factor[]; max: number }) {
  return (
    <Stack gap="xs">
      {factors.map((f) => (
        <div key={f.name}>
          <Group justify="space-between" gap="xs">
            <Text fw={600}>{FACTOR_LABELS[f.name]}</Text>
            <Text size="sm">{contributionWords(f)}</Text>
          </Group>
          <Progress
            value={max > 0 ? (Math.max(0, f.contribution) / max) * 100 : 0}
            aria-label={`${FACTOR_LABELS[f.name]} ${contributionWords(f)}`}
          />
          <Text size="sm" c="gray.7">
            {f.description}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

function Overall({ s }: { s: NonNullable<Scores['overall']> }) {
  const max = Math.max(...s.factors.map((f) => f.contribution), 1);
  return (
    <Card withBorder>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap={4}>
          <Text fz={64} fw={800} lh={1} aria-label={`Overall score ${s.score} out of 100`}>
            {s.score}
          </Text>
          <Text>
            Higher than <b>{Math.round(s.percentile)} %</b> of Sway members.
          </Text>
          <Text size="sm" c="gray.7">
            Model {s.modelVersion}, computed {date(s.computedAt)}. Everyone starts at {s.base.toFixed(0)}; each factor
            adds points on top.
          </Text>
        </Stack>
        <FactorBars factors={s.factors} max={max} />
      </SimpleGrid>
    </Card>
  );
}

function Topics({ topics }: { topics: Scores['topics'] }) {
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (v: { slug: string; hidden: boolean }) =>
      call(api.PUT('/v1/me/topics/{slug}', { params: { path: { slug: v.slug } }, body: { hidden: v.hidden } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.scores }),
  });
  return (
    <section aria-labelledby="topics">
      <Title order={2} id="topics">
        Topic scores
      </Title>
      <Text mb="sm">
        Hidden topics are never used for targeting or shown to brands. A topic is shown to brands only once at least 20
        different people have reacted to your posts on it.
      </Text>
      <ProblemAlert error={toggle.error} title="Topic not changed" />
      {topics.length === 0 ? (
        <Text>No topic scores yet: they come from the topics of your posts.</Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Topic</Table.Th>
                <Table.Th>Score</Table.Th>
                <Table.Th visibleFrom="sm">Why</Table.Th>
                <Table.Th>Visibility</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {topics.map((t) => (
                <Table.Tr key={t.slug}>
                  <Table.Td>
                    <Text fw={600}>{topicLabel(t.slug)}</Text>
                    {t.hidden ? (
                      <Badge variant="outline" color="dark">
                        hidden
                      </Badge>
                    ) : t.published ? (
                      <Badge variant="outline" color="dark">
                        visible to brands
                      </Badge>
                    ) : (
                      <Badge variant="outline" color="dark">
                        not yet shown
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t.score}</Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Text size="sm">
                      {t.factors.map((f) => `${FACTOR_LABELS[f.name]} ${contributionWords(f)}`).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant={t.hidden ? 'filled' : 'default'}
                      aria-label={`${t.hidden ? 'Show' : 'Hide'} ${topicLabel(t.slug)}`}
                      loading={toggle.isPending && toggle.variables?.slug === t.slug}
                      onClick={() => toggle.mutate({ slug: t.slug, hidden: !t.hidden })}
                    >
                      {t.hidden ? 'Show' : 'Hide'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function History({ history }: { history: Scores['history'] }) {
  const changes = modelChanges(history);
  const versions = [...new Set(history.map((h) => h.modelVersion))];
  return (
    <section aria-labelledby="history">
      <Title order={2} id="history">
        How your score changed
      </Title>
      {history.length === 0 ? (
        <Text>No history yet.</Text>
      ) : (
        <>
          <Suspense fallback={<Text role="status">Loading chart…</Text>}>
            <HistoryChart
              history={history}
              label={`Line chart of your overall score from ${history[0].overall} to ${history[history.length - 1].overall}; the table below lists every value`}
            />
          </Suspense>
          <Title order={3} size="h4" mt="md">
            Model versions
          </Title>
          {changes.length === 0 ? (
            <Text>
              Every score here comes from model {versions.join(', ')}. If Sway ever changes its model, the change is
              marked on the chart (orange triangle) and explained here — the new model is mapped so that the same share
              of members stays above any score, and your old history is never rewritten.
            </Text>
          ) : (
            <List>
              {changes.map((c) => (
                <List.Item key={c.at}>
                  {date(c.at)}: model {c.from ?? '—'} → {c.to}. Sway mapped the new model onto the old scale, so the
                  same share of members stays above any score; earlier points keep their old values.
                </List.Item>
              ))}
            </List>
          )}
          <details>
            <summary>Every change as a table</summary>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Why</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {history.map((h) => (
                    <Table.Tr key={h.at + h.reason}>
                      <Table.Td>{date(h.at)}</Table.Td>
                      <Table.Td>{h.overall}</Table.Td>
                      <Table.Td>
                        {REASON_WORDS[h.reason]}
                        {h.note ? `: ${h.note}` : ''} (model {h.modelVersion})
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </details>
        </>
      )}
    </section>
  );
}

const NETWORK_NAMES: Record<string, string> = { bluesky: 'Bluesky', mastodon: 'Mastodon' };

/** Which linked accounts fed the score, and with what: Klout never said; Sway does. */
function Sources({ sources, windowDays }: { sources: Scores['sources']; windowDays: number }) {
  return (
    <section aria-labelledby="sources">
      <Title order={2} id="sources">
        Accounts behind your score
      </Title>
      <Text mb="sm">
        Your score counts the last {windowDays} days of public activity on these linked accounts. Add or remove accounts
        on the Privacy page.
      </Text>
      {sources.length === 0 ? (
        <Text>No account linked yet, so nothing feeds a score.</Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>Posts</Table.Th>
                <Table.Th>Reactions</Table.Th>
                <Table.Th visibleFrom="sm">Followers</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sources.map((a) => (
                <Table.Tr key={a.accountId}>
                  <Table.Td className="sway-break">
                    <Text fw={600}>{NETWORK_NAMES[a.network] ?? a.network}</Text>
                    <Text size="sm">{a.network === 'mastodon' ? a.handle : `@${a.handle}`}</Text>
                    {a.posts + a.reactions === 0 && (
                      <Badge variant="outline" color="dark">
                        nothing counted yet
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{a.posts}</Table.Td>
                  <Table.Td>{a.reactions}</Table.Td>
                  <Table.Td visibleFrom="sm">{a.followers ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function WhatItIsNot() {
  return (
    <Card withBorder component="section" aria-labelledby="not">
      <Title order={2} size="h3" id="not">
        What your score is not
      </Title>
      <List size="sm" spacing={4} mt="xs">
        <List.Item>
          It uses no private data: no messages, no private accounts, nothing you did not post publicly.
        </List.Item>
        <List.Item>
          It profiles nobody who is not a member: people who react to your posts are counted, never scored or stored by
          name.
        </List.Item>
        <List.Item>
          It is not a judgement of you — only of how your public posts travel, on the topics you post about.
        </List.Item>
        <List.Item>It is not public: brands see it only if you chose “Share my stats with brands”.</List.Item>
      </List>
    </Card>
  );
}

export function ScorePage() {
  const scores = useScores();
  return (
    <Stack>
      <Title order={1}>Your score and why</Title>
      <QueryState query={scores} label="your score">
        {(s) =>
          s.overall ? (
            <>
              <Overall s={s.overall} />
              <Sources sources={s.sources} windowDays={s.windowDays} />
              <Topics topics={s.topics} />
              <History history={s.history} />
              <Contests topics={s.topics} />
              <WhatItIsNot />
            </>
          ) : (
            <>
              <ScoreEmptyState />
              <Sources sources={s.sources} windowDays={s.windowDays} />
              <WhatItIsNot />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
