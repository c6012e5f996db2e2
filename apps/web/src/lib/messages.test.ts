import { describe, expect, it } from 'vitest';
import type { ChatMessage, Conversation } from '@/api/types';
import { safeExternalUrl, displayUrl } from './links';
import { mergeMessages, previewText, upsertConversations, withMessage } from './messages';

const message = (id: string, createdAt: string, extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({
    id,
    conversationId: 'c1',
    senderId: 'them',
    kind: 'text',
    body: `body ${id}`,
    createdAt,
    ...extra,
  }) as ChatMessage;

const conversation = (id: string, updatedAt: string, extra: Partial<Conversation> = {}): Conversation =>
  ({ id, updatedAt, unreadCount: 0, lastMessage: null, ...extra }) as Conversation;

describe('mergeMessages', () => {
  it('keeps each message once, oldest first, whichever copy arrives twice', () => {
    const a = message('a', '2026-01-01T10:00:00Z');
    const b = message('b', '2026-01-01T11:00:00Z');
    const merged = mergeMessages([b], [a, b, { ...b, body: 'second copy' }]);
    expect(merged.map((item) => item.id)).toEqual(['a', 'b']);
    expect(merged[1]!.body).toBe('body b');
  });

  it('returns the same list when nothing is new', () => {
    const current = [message('a', '2026-01-01T10:00:00Z')];
    expect(mergeMessages(current, current)).toBe(current);
  });
});

describe('conversations', () => {
  it('replace older copies and sort the most recent first', () => {
    const list = upsertConversations(
      [conversation('x', '2026-01-01T00:00:00Z'), conversation('y', '2026-01-02T00:00:00Z')],
      [conversation('x', '2026-01-03T00:00:00Z')],
    );
    expect(list.map((item) => [item.id, item.updatedAt])).toEqual([
      ['x', '2026-01-03T00:00:00Z'],
      ['y', '2026-01-02T00:00:00Z'],
    ]);
  });

  it('count a new message from the other party as unread unless the conversation is open', () => {
    const start = conversation('c1', '2026-01-01T00:00:00Z', { unreadCount: 1 });
    const incoming = message('m', '2026-01-02T00:00:00Z');
    expect(withMessage(start, incoming, { myId: 'me', reading: false }).unreadCount).toBe(2);
    expect(withMessage(start, incoming, { myId: 'me', reading: true }).unreadCount).toBe(0);
    const mine = message('m2', '2026-01-02T00:00:00Z', { senderId: 'me' });
    expect(withMessage(start, mine, { myId: 'me', reading: false }).unreadCount).toBe(1);
    expect(withMessage(start, incoming, { myId: 'me', reading: false }).updatedAt).toBe('2026-01-02T00:00:00Z');
  });

  it('ignore a message older than the last one shown', () => {
    const last = message('new', '2026-01-05T00:00:00Z');
    const start = conversation('c1', '2026-01-05T00:00:00Z', { lastMessage: last });
    expect(withMessage(start, message('old', '2026-01-01T00:00:00Z'), { myId: 'me', reading: false })).toBe(start);
  });

  it('preview the last message, marking the person’s own', () => {
    expect(previewText(null, 'me')).toBe('No messages yet');
    expect(previewText(message('m', '2026-01-01T00:00:00Z', { senderId: 'me', body: 'hi\nthere' }), 'me')).toBe(
      'You: hi there',
    );
  });
});

describe('links', () => {
  it('allow only http(s) addresses', () => {
    expect(safeExternalUrl('javascript:alert(1)')).toBeNull();
    expect(safeExternalUrl('not a url')).toBeNull();
    expect(safeExternalUrl('https://www.example.com/about')?.href).toBe('https://www.example.com/about');
  });

  it('show a link without the scheme and www', () => {
    expect(displayUrl(new URL('https://www.glowskin.example/about'))).toBe('glowskin.example/about');
    expect(displayUrl(new URL('http://glowskin.example/'))).toBe('glowskin.example');
  });
});
