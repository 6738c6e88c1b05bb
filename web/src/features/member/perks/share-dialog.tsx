import { Alert, Button, Group, List, Modal, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { keys } from '../../../shared/queries';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

type Network = Schemas['CreateShareRequestDto']['network'];
const NETWORKS: { value: Network; label: string }[] = [
  { value: 'instagram', label: 'Instagram' },
  { value: 'tiktok', label: 'TikTok' },
  { value: 'youtube', label: 'YouTube' },
  { value: 'twitter', label: 'X (Twitter)' },
  { value: 'facebook', label: 'Facebook' },
  { value: 'linkedin', label: 'LinkedIn' },
];

/** Register a post: Sway checks the caption for a sponsorship disclosure and says what is missing before saving. */
export function ShareDialog({ claim, onClose }: { claim: Schemas['MemberClaimDto']; onClose: () => void }) {
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [network, setNetwork] = useState<Network>('instagram');
  const check = useMutation({
    mutationFn: (t: string) => call(api.POST('/v1/me/disclosure-check', { body: { text: t } })),
  });
  const save = useMutation({
    mutationFn: () =>
      call(
        api.POST('/v1/me/claims/{claimId}/shares', {
          params: { path: { claimId: claim.id } },
          body: { url, network, ...(text ? { text } : {}) },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.claims }),
  });
  const checked = check.data && check.variables === text ? check.data : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened
      onClose={onClose}
      title={`Share: ${claim.perk.title}`}
      size="lg"
    >
      {save.data ? (
        <Stack>
          <Alert color={save.data.share.disclosed ? 'green' : 'yellow'} role="status" title="Share saved">
            {save.data.share.disclosed
              ? 'Saved, with a clear disclosure. Thank you.'
              : 'Saved — but the text has no disclosure. Please edit your post to add #ad or #gifted.'}
          </Alert>
          <Button onClick={onClose}>Close</Button>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label="Share your post">
          <Stack gap="sm">
            <TextInput
              label="Post URL"
              type="url"
              required
              placeholder="https://www.instagram.com/p/…"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-autofocus
            />
            <NativeSelect
              label="Network"
              data={NETWORKS}
              value={network}
              onChange={(e) => setNetwork(e.currentTarget.value as Network)}
            />
            <Textarea
              label="Text"
              description="Paste the caption as posted"
              autosize
              minRows={3}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
            <Group>
              <Button variant="default" onClick={() => check.mutate(text)} loading={check.isPending}>
                Check disclosure
              </Button>
            </Group>
            <div aria-live="polite">
              {checked &&
                (checked.disclosed ? (
                  <Alert color="green" title="Disclosure found">
                    Your text says clearly that this was a gift or an ad.
                  </Alert>
                ) : (
                  <Alert color="yellow" title="Disclosure missing">
                    Add one of these to your post: {checked.suggestions.join(', ')}.
                    <List size="sm" mt={4}>
                      <List.Item>{checked.why}</List.Item>
                    </List>
                  </Alert>
                ))}
            </div>
            <ProblemAlert error={check.error} title="Could not check the text" />
            <ProblemAlert error={save.error} title="Share not saved" />
            <Group justify="flex-end">
              <Button variant="subtle" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save share
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
