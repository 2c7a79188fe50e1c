// The user portal: what a chosen user sees, and the bookmarks every user sees.
import "../components/portal/portal.css";
import { BookmarksCard } from "../components/portal/BookmarksCard";
import { PortalPreview } from "../components/portal/PortalPreview";

export function PortalPage() {
  return (
    <section>
      <header className="page-header">
        <h1>User portal</h1>
      </header>
      <PortalPreview />
      <BookmarksCard />
    </section>
  );
}
