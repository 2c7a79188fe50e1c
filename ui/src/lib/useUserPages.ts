// The users table's rows, fetched from the core one page at a time (the core sorts, searches and
// filters in SQLite), under keys.directory, so a change to the directory (this window, the CLI, a
// sync) refetches the pages in view.
import { commands, type User, type UserPage, type UserQuery } from "../bindings";
import { unwrap } from "./ipc";
import { keys } from "./queries";
import { usePagedRows, type PagedRows } from "./usePagedRows";

export type UserFilter = Omit<UserQuery, "offset" | "limit">;

export type UserPages = Omit<PagedRows<User, UserPage>, "page"> & {
  /** Users in the directory (null before the first answer). */
  all: number | null;
};

const base = [...keys.directory, "users"] as const;

export function useUserPages(filter: UserFilter): UserPages {
  const { page, ...paged } = usePagedRows<User, UserPage>({
    base,
    filter,
    fetch: (offset, limit) => unwrap(commands.queryUsers({ ...filter, offset, limit })),
  });
  return { ...paged, all: page?.all ?? null };
}
