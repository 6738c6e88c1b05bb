import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { parameters?: { name: string; in: string }[] };

/**
 * `@Param() dto` classes carry class-validator rules but no Swagger decorators, so Nest documents no path
 * parameters and generated clients cannot fill `{id}`. Every `{name}` in a path becomes a required string
 * parameter unless the route already documents it.
 */
export function documentPathParams(doc: OpenAPIObject): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (!names.length) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const params = (op.parameters ??= []);
      for (const name of names) {
        if (!params.some((p) => p.in === 'path' && p.name === name))
          params.unshift({ name, in: 'path', required: true, schema: { type: 'string' } } as never);
      }
    }
  }
}
