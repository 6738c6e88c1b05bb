import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldError } from './app.exception';

function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({
        field,
        message: message.startsWith('property ') && message.endsWith(' should not exist') ? 'unknown field' : message,
      });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** Bodies must be JSON objects; an absent body is validated as `{}` so every missing field is named. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined || value === null || value === '') value = {};
      else if (typeof value !== 'object' || Array.isArray(value)) {
        throw new AppException('validation_failed', 'The request body must be a JSON object', [
          { field: '', message: 'must be a JSON object' },
        ]);
      }
    }
    if (metadata.type === 'query' && (value === undefined || value === null)) value = {};
    return super.transform(value, metadata);
  }
}

/** whitelist + forbidNonWhitelisted: an unknown field is a 400, never silently dropped or stored. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new AppException('validation_failed', `${fieldErrors.length} field(s) failed validation`, fieldErrors);
    },
  });
}
