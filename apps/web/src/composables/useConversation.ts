import { ref, shallowRef, type Ref } from 'vue';
import { api } from '@/api/client';
import { isApiError, problemMessage } from '@/api/errors';
import type { ChatMessage } from '@/api/types';
import { THREAD_PAGE_SIZE, mergeMessages } from '@/lib/messages';

/**
 * The messages of one conversation, oldest first: the newest page on open, older pages on
 * demand (the server pages newest first with a keyset cursor), pushed and sent messages
 * merged in once each, and a resync after reconnects that fills the gap or starts over.
 */
export function useConversation(conversationId: string) {
  const messages = ref([]) as Ref<ChatMessage[]>;
  /** The cursor of the next older page; null once the first message is shown. */
  const olderCursor = ref<string | null>(null);
  const loading = ref(true);
  const loadingOlder = ref(false);
  const error = shallowRef<string | null>(null);
  const olderError = shallowRef<string | null>(null);
  const notFound = ref(false);
  /** Bumped by every (re)load of the newest page, so an older page from before it is dropped. */
  let generation = 0;

  const newestPage = () => api.conversations.messages(conversationId, { limit: THREAD_PAGE_SIZE });

  async function load(): Promise<void> {
    const current = ++generation;
    loading.value = true;
    error.value = null;
    notFound.value = false;
    try {
      const page = await newestPage();
      if (current !== generation) return;
      messages.value = mergeMessages([], page.items);
      olderCursor.value = page.nextCursor;
    } catch (cause) {
      if (current !== generation) return;
      if (isApiError(cause) && cause.status === 404) notFound.value = true;
      else error.value = problemMessage(cause);
    } finally {
      if (current === generation) loading.value = false;
    }
  }

  /** Prepends the next older page; resolves whether anything was added. */
  async function loadOlder(): Promise<boolean> {
    const cursor = olderCursor.value;
    if (!cursor || loadingOlder.value || loading.value) return false;
    const current = generation;
    loadingOlder.value = true;
    olderError.value = null;
    try {
      const page = await api.conversations.messages(conversationId, { limit: THREAD_PAGE_SIZE, cursor });
      if (current !== generation) return false;
      const before = messages.value.length;
      messages.value = mergeMessages(messages.value, page.items);
      olderCursor.value = page.nextCursor;
      return messages.value.length > before;
    } catch (cause) {
      if (current === generation) olderError.value = problemMessage(cause);
      return false;
    } finally {
      loadingOlder.value = false;
    }
  }

  /** Adds a message of this conversation (a push or a sent one); resolves whether it was new. */
  function add(message: ChatMessage): boolean {
    if (message.conversationId !== conversationId) return false;
    const before = messages.value;
    messages.value = mergeMessages(before, [message]);
    return messages.value !== before;
  }

  /**
   * After a reconnect: the newest page merged in when it overlaps what is shown; when it does
   * not, more was missed than a page holds, so the thread starts over from that page.
   */
  async function resync(): Promise<ChatMessage[]> {
    if (loading.value || error.value || notFound.value) {
      await load();
      return [];
    }
    const current = ++generation;
    try {
      const page = await newestPage();
      if (current !== generation) return [];
      const shown = new Set(messages.value.map((message) => message.id));
      const overlaps = page.nextCursor === null || page.items.some((message) => shown.has(message.id));
      const fresh = page.items.filter((message) => !shown.has(message.id));
      if (overlaps) {
        messages.value = mergeMessages(messages.value, page.items);
      } else {
        messages.value = mergeMessages([], page.items);
        olderCursor.value = page.nextCursor;
      }
      return fresh;
    } catch {
      // The next reconnect or the person's next action tries again; what is shown stays.
      return [];
    }
  }

  /** Sends a message; it is shown once, whether the answer or its push arrives first. Resolves to the message and whether it was new here. */
  async function send(body: string): Promise<{ message: ChatMessage; added: boolean }> {
    const message = await api.conversations.send(conversationId, body);
    return { message, added: add(message) };
  }

  return {
    messages,
    olderCursor,
    loading,
    loadingOlder,
    error,
    olderError,
    notFound,
    load,
    loadOlder,
    add,
    resync,
    send,
  };
}
