import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useSignIn } from '../../../shared/session';
import { SignInForm } from '../../../shared/ui/sign-in-form';

export function LoginPage() {
  const [params] = useSearchParams();
  const signIn = useSignIn();
  return (
    <Stack>
      <Title order={1}>Sign in</Title>
      {params.get('erased') && (
        <Text role="status">Your account is being deleted. Thank you for having been part of Sway.</Text>
      )}
      <SignInForm signIn={signIn} home="/me" allowedNext={/^\/me(\/[\w-]*)?$/} />
      <Text size="sm">
        New here?{' '}
        <Anchor component={Link} to="/join">
          Join Sway
        </Anchor>
      </Text>
    </Stack>
  );
}
