import { EmptyState } from "../components/EmptyState";

export function EventsPage() {
  return (
    <section>
      <header className="page-header">
        <h1>Events</h1>
      </header>
      <EmptyState title="No events yet">
        <p>Every sign-in and provisioning attempt will be listed here, newest first.</p>
      </EmptyState>
    </section>
  );
}
