import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { date, topicLabel } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';
import { FACTOR_LABELS } from './score-words';

type Scores = Schemas['MyScoresResponseDto'];
type Contest = Schemas['ContestDto'];
type Kind = Schemas['ContestSubjectDto']['kind'];
type FactorName = Schemas['FactorDto']['name'];

const CONTESTS_KEY = ['contests'] as const;
const KINDS: { value: Kind; label: string }[] = [
  { value: 'overall', label: 'My overall score' },
  { value: 'topic', label: 'A topic score' },
  { value: 'factor', label: 'One factor' },
  { value: 'fraud_signal', label: 'A fraud verdict about me' },
];
const STATUS_WORDS: Record<Contest['status'], string> = {
  open: 'Waiting for review',
  upheld: 'Upheld — your score was corrected',
  rejected: 'Not upheld',
};

export function subjectWords(s: Contest['subject']): string {
  switch (s.kind) {
    case 'overall':
      return 'Overall score';
    case 'topic':
      return `Topic: ${topicLabel(s.topic ?? '')}`;
    case 'factor':
      return `Factor: ${s.factor ? FACTOR_LABELS[s.factor] : ''}`;
    case 'fraud_signal':
      return 'Fraud verdict';
  }
}

const useContests = () =>
  useQuery({
    queryKey: CONTESTS_KEY,
    queryFn: () => call(api.GET('/v1/me/contests', { params: { query: { limit: 200 } } })),
  });

function ContestDialog({ topics, onClose }: { topics: Scores['topics']; onClose: () => void }) {
  const qc = useQueryClient();
  const [kind, setKind] = useState<Kind>('overall');
  const [topic, setTopic] = useState(topics[0]?.slug ?? '');
  const [factor, setFactor] = useState<FactorName>('reach');
  const [signalId, setSignalId] = useState('');
  const [reason, setReason] = useState('');
  const [links, setLinks] = useState('');
  const file = useMutation({
    mutationFn: () => {
      const subject =
        kind === 'topic'
          ? { kind, topic }
          : kind === 'factor'
            ? { kind, factor }
            : kind === 'fraud_signal'
              ? { kind, signalId: signalId.trim() }
              : { kind };
      const l = links
        .split(/\s+/)
        .map((x) => x.trim())
        .filter(Boolean);
      return call(api.POST('/v1/me/contests', { body: { subject, reason, ...(l.length ? { links: l } : {}) } }));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: CONTESTS_KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    file.mutate();
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened onClose={onClose} title="Contest your score" size="lg">
      {file.data ? (
        <Stack>
          <Alert color="green" role="status" title="Contest sent">
            A person at Sway will review it and answer here, on your score page. You can follow its status below.
          </Alert>
          <Button onClick={onClose}>Close</Button>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label="Contest your score">
          <Stack gap="sm">
            <Text size="sm">
              Tell us what looks wrong and why. A person reviews every contest; if you are right, your score is
              corrected and the change appears in your history with our answer.
            </Text>
            <NativeSelect
              label="What do you contest"
              data={KINDS.filter((k) => k.value !== 'topic' || topics.length > 0)}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as Kind)}
              data-autofocus
            />
            {kind === 'topic' && (
              <NativeSelect
                label="Topic"
                data={topics.map((t) => ({ value: t.slug, label: topicLabel(t.slug) }))}
                value={topic}
                onChange={(e) => setTopic(e.currentTarget.value)}
              />
            )}
            {kind === 'factor' && (
              <NativeSelect
                label="Factor"
                data={(Object.keys(FACTOR_LABELS) as FactorName[]).map((f) => ({ value: f, label: FACTOR_LABELS[f] }))}
                value={factor}
                onChange={(e) => setFactor(e.currentTarget.value as FactorName)}
              />
            )}
            {kind === 'fraud_signal' && (
              <TextInput
                label="Verdict reference"
                description="The reference shown in the message that told you about the verdict"
                required
                value={signalId}
                onChange={(e) => setSignalId(e.currentTarget.value)}
              />
            )}
            <Textarea
              label="Reason"
              description="At least 10 characters"
              required
              autosize
              minRows={3}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Textarea
              label="Evidence links"
              description="Optional: up to five links, one per line"
              autosize
              minRows={2}
              value={links}
              onChange={(e) => setLinks(e.currentTarget.value)}
            />
            <ProblemAlert error={file.error} title="Contest not sent" />
            <Group justify="flex-end">
              <Button variant="subtle" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={file.isPending}>
                Send contest
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function ContestCard({ c }: { c: Contest }) {
  return (
    <Card withBorder component="li" aria-label={`${subjectWords(c.subject)}, filed ${date(c.createdAt)}`}>
      <Group justify="space-between" gap="xs">
        <Text fw={600}>{subjectWords(c.subject)}</Text>
        <Badge variant="outline" color="dark">
          {STATUS_WORDS[c.status]}
        </Badge>
      </Group>
      <Text size="sm" c="gray.7">
        Filed {date(c.createdAt)}
        {c.resolvedAt ? `, answered ${date(c.resolvedAt)}` : ''}
      </Text>
      <Text size="sm" mt={4}>
        You wrote: {c.reason}
      </Text>
      {c.answer && (
        <Text mt={4}>
          <b>Sway’s answer:</b> {c.answer}
        </Text>
      )}
    </Card>
  );
}

/** The "Contest" control and the member's contests with status and answer (issue 17). */
export function Contests({ topics }: { topics: Scores['topics'] }) {
  const [open, setOpen] = useState(false);
  const contests = useContests();
  return (
    <section aria-labelledby="contests">
      <Group justify="space-between" align="center">
        <Title order={2} id="contests">
          Think your score is wrong?
        </Title>
        <Button variant="default" onClick={() => setOpen(true)}>
          Contest
        </Button>
      </Group>
      <Text mb="sm">
        You can contest your overall score, a topic score, one factor or a fraud verdict about you. Every contest gets
        an answer from a person.
      </Text>
      <QueryState query={contests} label="your contests">
        {(page) =>
          page.data.length === 0 ? (
            <Text>You have not contested anything.</Text>
          ) : (
            <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }} aria-label="Your contests">
              {page.data.map((c) => (
                <ContestCard key={c.id} c={c} />
              ))}
            </Stack>
          )
        }
      </QueryState>
      {open && <ContestDialog topics={topics} onClose={() => setOpen(false)} />}
    </section>
  );
}
