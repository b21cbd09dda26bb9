import { MigrationInterface, QueryRunner } from 'typeorm';

/** Member organisations. Later migrations add users, keys, sharing groups and RLS. */
export class Tenants1763884800000 implements MigrationInterface {
  name = 'Tenants1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE tenant (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name        text NOT NULL,
        country     char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        sectors     text[] NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant`);
  }
}
