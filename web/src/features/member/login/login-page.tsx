import { Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSignIn } from '../../../shared/session';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Only a path on this site: an open redirect would let a link send people elsewhere after signing in.
  const next = params.get('next');
  const target = next && /^\/me(\/[\w-]*)?$/.test(next) ? next : '/me';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(target) });
  };
  return (
    <Stack>
      <Title order={1}>Sign in</Title>
      {params.get('erased') && (
        <Text role="status">Your account is being deleted. Thank you for having been part of Sway.</Text>
      )}
      <form onSubmit={submit} aria-label="Sign in">
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <TextInput
            type="password"
            label="Password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <ProblemAlert error={signIn.error} title="Not signed in" />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        New here?{' '}
        <Anchor component={Link} to="/join">
          Join Sway
        </Anchor>
      </Text>
    </Stack>
  );
}
