import { defineStore } from 'pinia';
import { ref } from 'vue';
import { problemMessage } from '@/api/errors';

export type ToastKind = 'success' | 'danger' | 'info' | 'warning';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  title?: string;
}

const TIMEOUT_MS: Record<ToastKind, number> = { success: 4000, info: 5000, warning: 7000, danger: 8000 };

/** Feedback for actions; rendered by `ToastStack` in the layout. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function push(kind: ToastKind, message: string, title?: string): number {
    const id = nextId++;
    toasts.value = [...toasts.value.slice(-4), { id, kind, message, ...(title ? { title } : {}) }];
    window.setTimeout(() => dismiss(id), TIMEOUT_MS[kind]);
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
