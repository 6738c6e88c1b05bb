import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { dateTime } from '../../../shared/format';
import { keys, useNotifications } from '../../../shared/queries';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

/** The in-app list: newest first; reading is explicit, so nothing is marked read just by opening the page. */
export function NotificationsPage() {
  const qc = useQueryClient();
  const list = useNotifications();
  const read = useMutation({
    mutationFn: (ids?: string[]) => call(api.POST('/v1/me/notifications/read', { body: ids ? { ids } : {} })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.notifications }),
  });
  return (
    <Stack>
      <Title order={1}>Notifications</Title>
      <QueryState query={list} label="your notifications">
        {(n) => (
          <Stack gap="sm">
            <Group justify="space-between">
              <Text>{n.unread === 1 ? '1 unread notification' : `${n.unread} unread notifications`}</Text>
              <Button
                variant="default"
                disabled={n.unread === 0}
                loading={read.isPending && read.variables === undefined}
                onClick={() => read.mutate(undefined)}
              >
                Mark all as read
              </Button>
            </Group>
            <ProblemAlert error={read.error} title="Not marked as read" />
            {n.data.length === 0 ? (
              <Text>Nothing yet. New offers, shipped perks and security notices appear here.</Text>
            ) : (
              <Stack component="ul" aria-label="Notifications" gap="xs" p={0} style={{ listStyle: 'none' }}>
                {n.data.map((item) => (
                  <Card component="li" withBorder key={item.id} padding="sm">
                    <Group justify="space-between" wrap="wrap">
                      <Stack gap={0}>
                        <Text fw={item.readAt ? 400 : 700}>{item.title}</Text>
                        <Text size="sm" c="gray.7">
                          {dateTime(item.at)}
                        </Text>
                      </Stack>
                      {item.readAt ? (
                        <Badge variant="outline" color="gray">
                          Read
                        </Badge>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Mark read: ${item.title}`}
                          loading={read.isPending && read.variables?.[0] === item.id}
                          onClick={() => read.mutate([item.id])}
                        >
                          Mark read
                        </Button>
                      )}
                    </Group>
                  </Card>
                ))}
              </Stack>
            )}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
