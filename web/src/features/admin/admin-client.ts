import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../../api/schema';

/**
 * The operator's admin token lives in this tab's memory only: never localStorage or sessionStorage, never a
 * cookie. Reloading the page or closing the tab signs the operator out, which is the point.
 */
let token: string | null = null;
export function setAdminToken(t: string | null): void {
  token = t;
}

const bearer: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

/** Same-origin, no cookies: the admin routes are authorised by the bearer token alone. */
export const adminApi = createClient<paths>({ baseUrl: '', credentials: 'omit' });
adminApi.use(bearer);
