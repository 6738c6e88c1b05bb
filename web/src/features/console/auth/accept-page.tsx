import { Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { rawCall } from '../../../api/client';
import { useBrandSession } from '../../../shared/brand-session';
import { SESSION_KEY } from '../../../shared/session';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

/** The link in an invitation: a new person sets a password; someone already signed in just joins. */
export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const session = useBrandSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signedIn = !!session.data;
  const accept = useMutation({
    mutationFn: () =>
      rawCall(
        'POST',
        `/v1/invitations/${encodeURIComponent(token)}/accept`,
        signedIn ? {} : { password, ...(name ? { name } : {}) },
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
      await navigate('/console');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate();
  };
  return (
    <Stack>
      <Title order={1}>Join a brand on Sway</Title>
      <form onSubmit={submit} aria-label="Accept invitation">
        <Stack gap="sm">
          {signedIn ? (
            <Text>You are signed in as {session.data?.user?.email}. Accepting adds this brand to your workspaces.</Text>
          ) : (
            <>
              <Text>Choose a password for your console account.</Text>
              <TextInput
                label="Your name"
                autoComplete="name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              <TextInput
                type="password"
                label="Password"
                description="At least 10 characters."
                required
                minLength={10}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
            </>
          )}
          <ProblemAlert error={accept.error} title="Invitation not accepted" />
          <Button type="submit" loading={accept.isPending}>
            Accept invitation
          </Button>
        </Stack>
      </form>
      {!signedIn && (
        <Text size="sm">
          Already have a console account?{' '}
          <Anchor
            underline="always"
            component={Link}
            to={`/console/login?next=${encodeURIComponent(`/console/invitations/${token}`)}`}
          >
            Sign in first
          </Anchor>
          , then open the link again.
        </Text>
      )}
    </Stack>
  );
}
