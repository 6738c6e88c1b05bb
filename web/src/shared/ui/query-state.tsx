import { Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ProblemAlert } from './problem-alert';

/** Loading and error states for every request, the same everywhere. */
export function QueryState<T>({
  query,
  label,
  children,
}: {
  query: UseQueryResult<T>;
  label: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <Center py="xl" role="status" aria-live="polite">
        <Loader size="sm" aria-label={`Loading ${label}`} />
      </Center>
    );
  // A failed background refetch keeps what was loaded on screen (replacing it would also reset everything the
  // person had opened on the page); only a first load that failed has nothing to show.
  if (query.isError && query.data === undefined)
    return <ProblemAlert error={query.error} title={`Could not load ${label}`} />;
  return (
    <>
      {query.isError && <ProblemAlert error={query.error} title={`Could not refresh ${label}`} />}
      {children(query.data as T)}
    </>
  );
}
