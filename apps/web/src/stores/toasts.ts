import { defineStore } from 'pinia';
import { ref } from 'vue';
import { problemMessage } from '@/api/errors';

export type ToastKind = 'success' | 'danger' | 'info' | 'warning';

/** What a live toast (a new notification or message) adds to the plain kind, text and title. */
export interface ToastOptions {
  /** An app path: the toast becomes a link there and closes when followed. */
  link?: string;
  /** Runs when the person follows the link (e.g. to mark the notification read). */
  onOpen?: () => void;
  /** A bootstrap-icons name in place of the kind's icon. */
  icon?: string;
  /** Replaces the `toast-<kind>` test id. */
  testid?: string;
  timeoutMs?: number;
}

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  title?: string;
  link?: string;
  onOpen?: () => void;
  icon?: string;
  testid?: string;
}

const TIMEOUT_MS: Record<ToastKind, number> = { success: 4000, info: 5000, warning: 7000, danger: 8000 };

/** Feedback for actions and live events; rendered by `ToastStack` in the layout. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function push(kind: ToastKind, message: string, title?: string, options: ToastOptions = {}): number {
    const id = nextId++;
    const { timeoutMs, ...extra } = options;
    toasts.value = [...toasts.value.slice(-4), { id, kind, message, ...(title ? { title } : {}), ...extra }];
    window.setTimeout(() => dismiss(id), timeoutMs ?? TIMEOUT_MS[kind]);
    return id;
  }

  return {
    toasts,
    dismiss,
    push,
    success: (message: string, title?: string) => push('success', message, title),
    info: (message: string, title?: string) => push('info', message, title),
    /** Shows any thrown value through the one error helper. */
    error: (error: unknown, title?: string) => push('danger', problemMessage(error), title),
  };
});
