import { Alert, List } from '@mantine/core';
import { ProblemError } from '../../api/client';

/** Shows a problem's `detail` (and field messages) to the person — never a stack. */
export function ProblemAlert({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const p = error instanceof ProblemError ? error : null;
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      {p ? p.detail : 'Unexpected error. Please try again.'}
      {p && p.errors.length > 0 && (
        <List size="sm" mt="xs">
          {p.errors.map((e) => (
            <List.Item key={e.field + e.message}>
              {e.field}: {e.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
