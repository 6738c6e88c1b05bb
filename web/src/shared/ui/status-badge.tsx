import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';

/** An outlined badge whose text stays near-black: Mantine's tinted outline text is below WCAG AA on white. */
export function StatusBadge({ color, label, children }: { color: string; label?: string; children: ReactNode }) {
  return (
    <Badge
      variant="outline"
      color={color}
      aria-label={label}
      styles={{ label: { color: 'var(--mantine-color-dark-9)' } }}
    >
      {children}
    </Badge>
  );
}
