import { and, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { avatars } from '../../db/schema/index.js';

/** The only code that touches avatar images (content-addressed: the key is the bytes' hash). */
export const avatarsRepository = {
  /** Stores the image as the user's only one: the same bytes again are a no-op, older ones go. */
  async replace(db: DbOrTx, values: { key: string; userId: string; contentType: string; bytes: Buffer }) {
    await db.insert(avatars).values(values).onConflictDoNothing();
    await db.delete(avatars).where(and(eq(avatars.userId, values.userId), ne(avatars.key, values.key)));
  },

  async find(db: DbOrTx, key: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
    const [row] = await db
      .select({ contentType: avatars.contentType, bytes: avatars.bytes })
      .from(avatars)
      .where(eq(avatars.key, key));
    return row;
  },
};
