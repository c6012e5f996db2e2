/** The `limit` and, after the first page, the `cursor` of a keyset-paged list request. */
export function pageQuery(limit: number, cursor: string | null): { limit: number; cursor?: string } {
  return cursor ? { limit, cursor } : { limit };
}

/** A count from one page of at most `limit` rows: "100+" when the server has more. */
export function pageCount(page: { items: unknown[]; nextCursor: string | null }, limit: number): string {
  return page.nextCursor ? `${limit}+` : String(page.items.length);
}
