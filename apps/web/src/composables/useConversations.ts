/**
 * The signed-in person's conversations: the list on the messages page and opening one with
 * someone. The messages of one conversation are `useConversation`.
 */
import { api } from '@/api/client';
import type { Conversation } from '@/api/types';
import { useKeysetList } from '@/composables/useKeysetList';
import { CONVERSATION_PAGE_SIZE } from '@/lib/messages';
import { pageQuery } from '@/lib/paging';

/** Conversations with messages, the most recent first. */
export function useConversationList() {
  return useKeysetList<Conversation>((cursor) => api.conversations.list(pageQuery(CONVERSATION_PAGE_SIZE, cursor)));
}

/** The newest page again (after a reconnect), to merge into what is shown. */
export const fetchNewestConversations = () => api.conversations.list({ limit: CONVERSATION_PAGE_SIZE });

export const fetchConversation = (id: string): Promise<Conversation> => api.conversations.get(id);

/** Marks a conversation read; the answer also says who it is with. */
export const markConversationRead = (id: string): Promise<Conversation> => api.conversations.markRead(id);

/** Gets or creates the one conversation with this sponsor or influencer. */
export const startConversation = (participantId: string): Promise<Conversation> =>
  api.conversations.start(participantId);
