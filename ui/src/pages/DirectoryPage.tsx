import { EmptyState } from "../components/EmptyState";

export function DirectoryPage() {
  return (
    <section>
      <header className="page-header">
        <h1>Directory</h1>
      </header>
      <EmptyState title="No users or groups yet">
        <p>The directory holds the people and groups Lanyard signs in and provisions to Salesforce.</p>
      </EmptyState>
    </section>
  );
}
