import { Button } from '@mantine/core';
import { useState } from 'react';

export function CopyButton({ value, label, what }: { value: string; label: string; what: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <Button
      variant="default"
      size="xs"
      aria-label={`${label}: ${what}`}
      // Fire and forget: both outcomes are handled here, nothing upstream waits for the click.
      onClick={() =>
        void navigator.clipboard.writeText(value).then(
          () => setCopied('yes'),
          () => setCopied('failed'),
        )
      }
    >
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed — select it by hand' : label}
    </Button>
  );
}
