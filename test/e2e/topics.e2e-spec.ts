import { createBrand } from '../factories/brands';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';

describe('topics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('ships the whole Klout Topic Ontology', async () => {
    const [row] = await t.db.query(
      `SELECT count(*) FILTER (WHERE kloutId IS NOT NULL)::int AS klout, count(*) FILTER (WHERE is_super)::int AS supers,
              count(*)::int AS total FROM (SELECT klout_id AS kloutId, is_super FROM topics) x`,
    );
    // 8,033 topics from the node file, plus `economics`, which 21 edges name but the node file lacks.
    expect(row).toEqual({ klout: 8033, supers: 16, total: 8034 });
    const [{ edges }] = await t.db.query(`SELECT count(*)::int AS edges FROM topic_edges`);
    // 13,446 CSV edges = 13,429 parent→child + 16 root→super + the root's self-loop.
    expect(edges).toBe(13446 - 17);
  });

  it('finds coffee, exact match first', async () => {
    const res = await t.http.get('/v1/topics?q=Coffee').expect(200);
    expect(res.body.data[0]).toEqual({ slug: 'coffee', name: 'Coffee', parents: ['food-and-drink-super'] });
    expect(res.body.data.map((d: { slug: string }) => d.slug)).toEqual(
      expect.arrayContaining(['coffee-makers', 'peets-coffee-and-tea']),
    );
    expect(res.body.nextCursor).toBeNull();
  });

  it('treats LIKE wildcards in q literally', async () => {
    const res = await t.http.get('/v1/topics?q=%25').expect(200);
    expect(res.body.data).toEqual([]);
  });

  it('pages through a parent’s children with cursors, no duplicates, no gaps', async () => {
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM topic_edges e JOIN topics p ON p.id = e.parent_id WHERE p.slug = 'food-and-drink-super'`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { slug: string; parents: string[] }[]; nextCursor: string | null } } = await t.http
        .get('/v1/topics')
        .query({ parent: 'food-and-drink-super', limit: 7, ...(cursor ? { cursor } : {}) })
        .expect(200);
      for (const d of res.body.data) expect(d.parents).toContain('food-and-drink-super');
      seen.push(...res.body.data.map((d) => d.slug));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  it('gets one topic with parents and children, case-insensitively', async () => {
    const res = await t.http.get('/v1/topics/coffee').expect(200);
    expect(res.body).toMatchObject({ slug: 'coffee', name: 'Coffee', parents: ['food-and-drink-super'] });
    expect(res.body.children).toEqual(expect.arrayContaining(['espresso']));
    await t.http.get('/v1/topics/ucla').expect(200);
    expectProblem(await t.http.get('/v1/topics/no-such-topic'), 404, 'not_found');
    expectProblem(await t.http.get('/v1/topics?parent=no-such-topic'), 404, 'not_found');
  });

  it('lets the admin add a topic under existing parents', async () => {
    const res = await t.http
      .post('/v1/topics')
      .set(admin)
      .send({ slug: 'cold-brew', name: 'Cold Brew', parents: ['coffee'] })
      .expect(201);
    expect(res.body).toEqual({ slug: 'cold-brew', name: 'Cold Brew', parents: ['coffee'], children: [] });
    const coffee = await t.http.get('/v1/topics/coffee').expect(200);
    expect(coffee.body.children).toContain('cold-brew');
  });

  it('refuses bad topics and changes nothing', async () => {
    const before = await countTopics(t);
    expectProblem(await t.http.post('/v1/topics').set(admin).send({ slug: 'coffee', name: 'Again' }), 409, 'conflict');
    expectProblem(await t.http.post('/v1/topics').set(admin).send({ slug: 'COFFEE', name: 'x' }), 400);
    const unknownParent = await t.http
      .post('/v1/topics')
      .set(admin)
      .send({ slug: 'x-1', name: 'X', parents: ['nope'] });
    expectProblem(unknownParent, 422, 'unprocessable');
    expect(unknownParent.body.errors).toEqual([{ field: 'parents', message: 'unknown topic "nope"' }]);
    expectProblem(await t.http.post('/v1/topics').set(admin).send({ slug: 'a b', name: 'X' }), 400);
    expectProblem(await t.http.post('/v1/topics').set(admin).send({ slug: 'ok', name: 'X', parents: 'coffee' }), 400);
    expectProblem(
      await t.http
        .post('/v1/topics')
        .set(admin)
        .send({ slug: 'ok', name: 'X', parents: ['coffee', 'coffee'] }),
      400,
    );
    expectProblem(await t.http.post('/v1/topics').send({ slug: 'ok', name: 'X' }), 401);
    const brand = await createBrand(t);
    expectProblem(await t.http.post('/v1/topics').set(brand.auth).send({ slug: 'ok', name: 'X' }), 403, 'forbidden');
    expect(await countTopics(t)).toBe(before);
  });

  it('replays a topic creation with the same Idempotency-Key', async () => {
    const send = (name: string) =>
      t.http.post('/v1/topics').set(admin).set('idempotency-key', 'topic-1').send({ slug: 'flat-white', name });
    const first = await send('Flat White').expect(201);
    const again = await send('Flat White').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expectProblem(await send('Other'), 409, 'idempotency_key_reused');
  });
});

async function countTopics(t: TestApp): Promise<number> {
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM topics`);
  return n;
}
