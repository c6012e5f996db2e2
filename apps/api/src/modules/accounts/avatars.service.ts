import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { LIMITS } from '@iescp/shared';
import type { Db } from '../../db/client.js';
import type { AppEvents } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { notFound, unsupportedMediaType } from '../../lib/errors.js';
import { accountsRepository as repo } from './accounts.repository.js';
import { avatarsRepository } from './avatars.repository.js';
import { presentUser } from './accounts.presenter.js';
import type { UserDto } from './accounts.schemas.js';

const ACCEPTED = new Set(['png', 'jpeg', 'webp']);
const SIZE = 512;

/**
 * Avatars are judged by their bytes, never their name or declared type, and re-encoded: the
 * stored image is ours (no metadata, no polyglot payloads, bounded size).
 */
export function createAvatarsService(deps: { db: Db; events: AppEvents }) {
  const { db, events } = deps;
  return {
    maxBytes: LIMITS.avatarBytes,

    async replace(actor: Actor, upload: Buffer): Promise<UserDto> {
      let format: string | undefined;
      try {
        format = (await sharp(upload, { limitInputPixels: 40_000_000 }).metadata()).format;
      } catch {
        format = undefined;
      }
      if (!format || !ACCEPTED.has(format)) throw unsupportedMediaType('The avatar must be a PNG, JPEG or WebP image.');
      let bytes: Buffer;
      try {
        bytes = await sharp(upload, { limitInputPixels: 40_000_000 })
          .rotate()
          .resize(SIZE, SIZE, { fit: 'cover' })
          .webp({ quality: 82 })
          .toBuffer();
      } catch {
        // A valid header over corrupt data: the file is not an image we can read.
        throw unsupportedMediaType('The avatar could not be decoded as a PNG, JPEG or WebP image.');
      }
      const key = createHash('sha256').update(bytes).digest('hex').slice(0, 40);
      return events.transaction(async ({ tx, emit }) => {
        const row = await repo.updateUser(tx, actor.id, { avatarKey: key });
        await avatarsRepository.replace(tx, { key, userId: actor.id, contentType: 'image/webp', bytes });
        await emit({ kind: 'account.avatar_changed', userId: actor.id });
        return presentUser(row, await repo.loadProfile(tx, row), actor);
      });
    },

    async get(key: string): Promise<{ contentType: string; bytes: Buffer }> {
      if (!/^[0-9a-f]{40}$/.test(key)) throw notFound('avatar');
      const row = await avatarsRepository.find(db, key);
      if (!row) throw notFound('avatar');
      return row;
    },
  };
}

export type AvatarsService = ReturnType<typeof createAvatarsService>;
