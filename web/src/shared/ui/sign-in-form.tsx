import { Button, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ProblemAlert } from './problem-alert';

interface SignInMutation {
  mutate: (v: { email: string; password: string }, o: { onSuccess: () => void }) => void;
  error: unknown;
  isPending: boolean;
}

/**
 * The email + password form the member app and the brand console share. After signing in it follows `?next=`
 * only when that is one of `allowedNext`'s paths on this site: anything else would be an open redirect, a link
 * that sends people elsewhere once they have signed in.
 */
export function SignInForm({
  signIn,
  home,
  allowedNext,
}: {
  signIn: SignInMutation;
  home: string;
  allowedNext: RegExp;
}) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = params.get('next');
  const target = next && allowedNext.test(next) ? next : home;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(target) });
  };
  return (
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
  );
}
