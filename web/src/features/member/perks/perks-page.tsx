import { Badge, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Schemas } from '../../../api/client';
import { date } from '../../../shared/format';
import { useClaims } from '../../../shared/queries';
import { CopyButton } from '../../../shared/ui/copy-button';
import { QueryState } from '../../../shared/ui/query-state';
import { ShareDialog } from './share-dialog';

type Claim = Schemas['MemberClaimDto'];

function ClaimCard({ c, onShare }: { c: Claim; onShare: () => void }) {
  return (
    <Card withBorder component="article" aria-label={c.perk.title}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3">
            {c.perk.title}
          </Title>
          <Badge variant="outline" color="dark">
            {c.status === 'fulfilled' ? 'sent' : 'claimed'}
          </Badge>
        </Group>
        <Text size="sm">
          From {c.perk.brandName} · claimed {date(c.createdAt)}
          {c.fulfilledAt ? ` · sent ${date(c.fulfilledAt)}` : ''}
        </Text>
        {c.trackingNumber && (
          <Text size="sm">
            Tracking number: <Code>{c.trackingNumber}</Code>
          </Text>
        )}
        <Group gap="xs" wrap="wrap">
          <Text size="sm">Code:</Text>
          <Code className="sway-break">{c.code}</Code>
          <CopyButton value={c.code} label="Copy code" what={c.perk.title} />
        </Group>
        <Group gap="xs" wrap="wrap">
          <Text size="sm">Your link:</Text>
          <Code className="sway-break">{c.trackingUrl}</Code>
          <CopyButton value={c.trackingUrl} label="Copy link" what={c.perk.title} />
        </Group>
        <Group>
          <Button onClick={onShare} aria-label={`Share ${c.perk.title}`}>
            Share
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function PerksPage() {
  const claims = useClaims();
  const [sharing, setSharing] = useState<Claim | null>(null);
  return (
    <Stack>
      <Title order={1}>My perks</Title>
      <Text>
        Posting is up to you. If you post, use your link or code so the brand sees your effect, and say it was a gift
        (#ad or #gifted).
      </Text>
      <QueryState query={claims} label="your perks">
        {(page) =>
          page.data.length === 0 ? (
            <Text>You have not claimed a perk yet. Claimed perks appear here with their code and link.</Text>
          ) : (
            page.data.map((c) => <ClaimCard key={c.id} c={c} onShare={() => setSharing(c)} />)
          )
        }
      </QueryState>
      {sharing && <ShareDialog claim={sharing} onClose={() => setSharing(null)} />}
    </Stack>
  );
}
